import { InvalidCursor, decodeCursor, encodeCursor, searchBody } from './search.js';

describe('catalog search request', () => {
  it('filters deleted products, by category, brand, price range and stock', () => {
    const body = searchBody({ category: 'shoes', brand: 'Acme', minPrice: 100, maxPrice: 900, inStock: true });
    expect((body.query as { bool: { filter: unknown[] } }).bool.filter).toEqual([
      { term: { deleted: false } },
      { term: { categories: 'shoes' } },
      { term: { brand: 'Acme' } },
      { range: { priceCents: { gte: 100, lte: 900 } } },
      { range: { stockAvailable: { gt: 0 } } },
    ]);
  });

  it('sorts by relevance with a query and by newest without, always ending on the id', () => {
    expect(searchBody({ q: 'shoe' }).sort).toEqual([{ _score: 'desc' }, { id: 'asc' }]);
    expect(searchBody({}).sort).toEqual([{ createdAt: 'desc' }, { id: 'asc' }]);
    expect(searchBody({ sort: 'price_asc' }).sort).toEqual([{ priceCents: 'asc' }, { id: 'asc' }]);
  });

  it('continues after the cursor’s position, and only for the same search', () => {
    const request = { q: 'shoe', category: 'running' };
    const cursor = encodeCursor(request, [1.5, 'id-9']);
    expect(searchBody({ ...request, cursor, limit: 50 }).search_after).toEqual([1.5, 'id-9']);
    expect(() => decodeCursor({ q: 'boot', cursor })).toThrow(InvalidCursor);
    expect(() => decodeCursor({ cursor: 'not-a-cursor' })).toThrow(/not one this API issued/);
  });
});
