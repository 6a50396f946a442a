import { applyChanges, newProduct, stockConflict, toProduct } from './product.js';

const base = newProduct(
  'id-1',
  'SKU-1',
  { name: 'Shoe', brand: 'Acme', categories: ['shoes', 'shoes'], priceCents: 1000, currency: 'EUR', stockOnHand: 5 },
  '2026-01-01T00:00:00.000Z',
);

describe('product rules', () => {
  it('starts at version 1 with de-duplicated categories and no reservations', () => {
    expect(base).toMatchObject({ version: 1, categories: ['shoes'], reservations: [], attributes: {} });
    expect(toProduct(base).stockAvailable).toBe(5);
  });

  it('counts only real changes, bumps the version, and tells a price change', () => {
    const same = applyChanges(base, { name: 'Shoe', brand: 'Acme' }, 'later');
    expect(same.changed).toEqual([]);
    expect(same.next.version).toBe(1);
    const priced = applyChanges(base, { priceCents: 900, name: 'Shoe' }, 'later');
    expect(priced).toMatchObject({ changed: ['priceCents'], priceChanged: true, next: { version: 2, priceCents: 900, updatedAt: 'later' } });
    expect(applyChanges(base, { stockOnHand: 7 }, 'later').priceChanged).toBe(false);
  });

  it('refuses stock below what reservations hold', () => {
    const held = { ...base, reservations: [{ id: 'r', quantity: 3, expiresAt: 'x' }] };
    expect(toProduct(held).stockAvailable).toBe(2);
    expect(stockConflict({ ...held, stockOnHand: 2 })).toMatch(/below the 3 units/);
    expect(stockConflict({ ...held, stockOnHand: 3 })).toBeNull();
  });
});
