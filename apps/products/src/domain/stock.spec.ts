import { newProduct } from './product.js';
import { availableAt, commit, hold, release } from './stock.js';

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
