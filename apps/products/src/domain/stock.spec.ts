import { newProduct } from './product.js';
import { STOCK_RETURN_MARK_KEPT_MS, availableAt, commit, hold, release, returnUnits, unitsToReturn } from './stock.js';

const NOW = '2026-11-21T10:00:00.000Z';
const LATER = '2026-11-21T10:15:00.000Z';
const product = newProduct('p', 'SKU', { name: 'n', brand: 'b', categories: [], priceCents: 1, currency: 'EUR', stockOnHand: 5 }, NOW);

describe('stock holds', () => {
  it('holds what is available, once per reservation', () => {
    const first = hold(product, { id: 'r1', quantity: 3, expiresAt: LATER }, NOW);
    expect(first.kind).toBe('held');
    const next = (first as { next: typeof product }).next;
    expect(availableAt(next, NOW)).toBe(2);
    expect(hold(next, { id: 'r1', quantity: 3, expiresAt: LATER }, NOW)).toEqual({ kind: 'already-held' });
    expect(hold(next, { id: 'r2', quantity: 3, expiresAt: LATER }, NOW)).toEqual({ kind: 'out-of-stock', available: 2 });
  });

  it('ignores and drops expired holds', () => {
    const held = { ...product, reservations: [{ id: 'old', quantity: 5, expiresAt: NOW }] };
    expect(availableAt(held, NOW)).toBe(5);
    const outcome = hold(held, { id: 'r', quantity: 5, expiresAt: LATER }, NOW);
    expect(outcome.kind === 'held' && outcome.next.reservations.map((r) => r.id)).toEqual(['r']);
  });

  it('release frees the hold; commit also lowers stock on hand', () => {
    const held = { ...product, reservations: [{ id: 'r', quantity: 2, expiresAt: LATER }] };
    expect(release(held, 'r', NOW)?.reservations).toEqual([]);
    expect(release(held, 'other', NOW)).toBeNull();
    expect(commit(held, 'r', NOW)).toMatchObject({ stockOnHand: 3, reservations: [] });
    expect(commit(product, 'r', NOW)).toBeNull();
  });
});

describe("a cancelled order's stock return", () => {
  it('puts the units back on hand once per order, and forgets marks only after they are kept long enough', () => {
    const back = returnUnits(product, 'o1', 2, NOW)!;
    expect(back).toMatchObject({ stockOnHand: 7, stockReturns: [{ id: 'o1', quantity: 2, at: NOW }] });
    expect(returnUnits(back, 'o1', 2, LATER)).toBeNull();
    const muchLater = new Date(Date.parse(NOW) + STOCK_RETURN_MARK_KEPT_MS + 1).toISOString();
    expect(returnUnits(back, 'o2', 1, muchLater)?.stockReturns?.map((m) => m.id)).toEqual(['o2']);
    expect(returnUnits(back, 'o2', 1, LATER)?.stockReturns?.map((m) => m.id)).toEqual(['o1', 'o2']);
  });

  it('never gives back more than the checkout committed, and nothing without a committed reservation', () => {
    const committed = [
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 1 },
    ];
    expect(
      unitsToReturn(
        [
          { productId: 'a', quantity: 2 },
          { productId: 'b', quantity: 5 },
          { productId: 'c', quantity: 1 },
        ],
        committed,
      ),
    ).toEqual([
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 1 },
    ]);
    expect(unitsToReturn([{ productId: 'a', quantity: 1 }], null)).toEqual([]);
  });
});
