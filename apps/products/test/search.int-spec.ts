import { ErrorCode, ProductsRpc, type ProductSearchPage } from '@polystore/contracts';
import { productIdForSku } from '../src/api/catalog.service.js';
import { seedProduct } from '../src/api/seed.js';
import { newProduct } from '../src/domain/product.js';
import { CATALOG_ALIAS, mergeCatalogSegments } from '../src/store/catalog-index.js';
import { ProductsSearch } from '../src/store/products-search.js';
import { ProductsStore } from '../src/store/products.store.js';
import { serviceForSuite } from '../../../test/support/service.js';
import { productBody, productsModule, uniqueSku } from './support.js';
import { failure } from '../../../test/support/rpc.js';

/** Search over a data set of this run only: every product here carries this run's brand. */
const BRAND = `Brand${Date.now().toString(36)}`;

describe('products search (integration)', () => {
  const suite = serviceForSuite({ service: 'products', module: productsModule });
  const search = (q: Record<string, unknown>) => suite.rpc.send(ProductsRpc.search, { brand: BRAND, ...q });

  beforeAll(async () => {
    const items: Array<Record<string, unknown>> = [
      { name: 'Trail running shoe', description: 'Grippy outsole for runners', categories: ['shoes'], priceCents: 8900, stockOnHand: 5 },
      { name: 'Road running shoe', description: 'Cushioned', categories: ['shoes'], priceCents: 12900, stockOnHand: 0 },
      { name: 'Hiking boot', description: 'Waterproof leather boots', categories: ['shoes', 'outdoor'], priceCents: 15900, stockOnHand: 2 },
      { name: 'Camping tent', description: 'Two-person tent', categories: ['outdoor'], priceCents: 19900, stockOnHand: 1 },
      { name: 'Desk lamp', description: 'Warm light', categories: ['home'], priceCents: 2900, stockOnHand: 9 },
    ];
    for (const item of items) await suite.rpc.send(ProductsRpc.create, { ...productBody(uniqueSku('S')), brand: BRAND, ...item });
    await suite.app.get(ProductsSearch).client.indices.refresh({ index: CATALOG_ALIAS });
  });

  it('finds by meaning (stemming) and despite typos, ranked by relevance', async () => {
    expect((await search({ q: 'runs' })).items.map((p) => p.name).sort()).toEqual(['Road running shoe', 'Trail running shoe']);
    expect((await search({ q: 'boots' })).items.map((p) => p.name)).toEqual(['Hiking boot']);
    expect((await search({ q: 'runing shoos' })).items[0]!.name).toMatch(/running shoe/);
  });

  it('tolerates one typo per word (a swapped pair counts as one), not two', async () => {
    expect((await search({ q: 'deks' })).items.map((p) => p.name)).toEqual(['Desk lamp']);
    expect((await search({ q: 'lampx' })).items.map((p) => p.name)).toEqual(['Desk lamp']);
    expect((await search({ q: 'camping tetn' })).items.map((p) => p.name)).toEqual(['Camping tent']);
    // Two edits in one word find nothing: that automaton cost a third of the node's CPU per search.
    expect((await search({ q: 'lampxx' })).items).toEqual([]);
    // Too short for a typo: exact only.
    expect((await search({ q: 'la' })).items).toEqual([]);
  });

  it('filters by category, price range and stock, and counts facets', async () => {
    const page = await search({ category: 'shoes', minPrice: 9000, maxPrice: 20000 });
    expect(page.items.map((p) => p.name).sort()).toEqual(['Hiking boot', 'Road running shoe']);
    expect((await search({ category: 'shoes', inStock: true })).items.map((p) => p.name).sort()).toEqual(['Hiking boot', 'Trail running shoe']);
    const all = await search({});
    expect(all.total).toBe(5);
    expect(all.totalRelation).toBe('eq');
    expect(all.facets!.brands).toEqual([{ value: BRAND, count: 5 }]);
    expect(all.facets!.categories).toEqual(
      expect.arrayContaining([
        { value: 'shoes', count: 3 },
        { value: 'outdoor', count: 2 },
        { value: 'home', count: 1 },
      ]),
    );
    expect(all.facets!.prices.find((b) => b.key === '25-50')?.count).toBe(1);
    expect(all.facets!.prices.find((b) => b.key === '100-250')?.count).toBe(3);
  });

  it('answers a repeated search from what is stored now: a change and a refresh show at once (request cache)', async () => {
    const lamp = async () => (await search({ q: 'lamp' })).items.find((p) => p.name === 'Desk lamp')!;
    const before = await lamp();
    expect((await lamp()).priceCents).toBe(before.priceCents);
    await suite.rpc.send(ProductsRpc.update, { id: before.id, priceCents: before.priceCents + 100 });
    await suite.app.get(ProductsSearch).client.indices.refresh({ index: CATALOG_ALIAS });
    expect((await lamp()).priceCents).toBe(before.priceCents + 100);
    // Back as it was (the tests below sort by price), seen at once as well, facets included.
    await suite.rpc.send(ProductsRpc.update, { id: before.id, priceCents: before.priceCents });
    await suite.app.get(ProductsSearch).client.indices.refresh({ index: CATALOG_ALIAS });
    expect((await lamp()).priceCents).toBe(before.priceCents);
    expect((await search({})).facets!.prices.find((b) => b.key === '25-50')?.count).toBe(1);
  });

  it('sorts by price both ways and by newest', async () => {
    expect((await search({ sort: 'price_asc' })).items.map((p) => p.priceCents)).toEqual([2900, 8900, 12900, 15900, 19900]);
    expect((await search({ sort: 'price_desc' })).items.map((p) => p.priceCents)).toEqual([19900, 15900, 12900, 8900, 2900]);
    expect((await search({ sort: 'newest' })).items[0]!.name).toBe('Desk lamp');
  });

  it('finds, filters, sorts and facets the same once the catalog is merged into one segment (as after a seed or a reindex)', async () => {
    const searches: Array<Record<string, unknown>> = [
      { q: 'runing shoos' },
      { q: 'boots' },
      { category: 'shoes', minPrice: 9000, maxPrice: 20000 },
      { category: 'shoes', inStock: true },
      { sort: 'price_asc' },
      { sort: 'price_desc', limit: 2 },
      {},
    ];
    // Relevance may shift a little when a merge drops deleted documents from the statistics: hits as sets there.
    const answer = (page: ProductSearchPage, q: Record<string, unknown>) => ({
      ids: q.q ? page.items.map((p) => p.id).sort() : page.items.map((p) => p.id),
      total: page.total,
      facets: page.facets,
      pages: page.nextCursor !== undefined,
    });
    const before = await Promise.all(searches.map(async (q) => answer(await search(q), q)));
    const client = suite.app.get(ProductsSearch).client;
    const { body: counted } = await client.count({ index: CATALOG_ALIAS });
    await mergeCatalogSegments(client);
    const { body: segments } = await client.indices.segments({ index: CATALOG_ALIAS });
    const shard = (Object.values(segments.indices)[0] as { shards: Record<string, Array<{ segments: Record<string, { num_docs: number }> }>> })
      .shards['0']![0]!;
    // One segment holds every product there was (writes of other suites may have added small ones since).
    expect(Math.max(...Object.values(shard.segments).map((seg) => seg.num_docs))).toBeGreaterThanOrEqual(counted.count);
    const after = await Promise.all(searches.map(async (q) => answer(await search(q), q)));
    expect(after).toEqual(before);
  });

  it('suggests names by prefix', async () => {
    const { names } = await suite.rpc.send(ProductsRpc.suggest, { q: 'Camping t' });
    expect(names).toContain('Camping tent');
  });

  it('rejects bad input with VALIDATION_FAILED naming the field', async () => {
    expect((await failure(search({ q: 'x'.repeat(201) }))).message).toMatch(/q must be at most 200/);
    expect((await failure(search({ minPrice: 500, maxPrice: 100 }))).details).toEqual([{ field: 'minPrice', problems: ['above maxPrice'] }]);
    expect((await failure(search({ cursor: 'garbage' }))).details).toEqual([{ field: 'cursor', problems: ['cursor is not one this API issued'] }]);
    expect((await failure(search({ sort: 'cheapest' }))).code).toBe(ErrorCode.ValidationFailed);
    const first = await search({ limit: 2 });
    expect((await failure(search({ limit: 2, q: 'tent', cursor: first.nextCursor }))).message).toMatch(/different search/);
  });

  it('pages with a cursor past 10,000 hits without gaps or repeats', async () => {
    const brand = `Deep${Date.now().toString(36)}`;
    const store = new ProductsStore(suite.app.get(ProductsSearch));
    const now = new Date().toISOString();
    const total = 10_050;
    for (let from = 0; from < total; from += 2_000) {
      const items = [];
      for (let i = from; i < Math.min(total, from + 2_000); i++) {
        const { sku, ...fields } = seedProduct(i, brand.toUpperCase());
        items.push({ record: newProduct(productIdForSku(sku), sku, { ...fields, brand }, now), events: [] });
      }
      await store.bulkCreate(items);
    }
    await suite.app.get(ProductsSearch).client.indices.refresh({ index: CATALOG_ALIAS });
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page: ProductSearchPage = await suite.rpc.send(ProductsRpc.search, {
        brand,
        sort: 'price_asc',
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      if (pages === 0) expect(page).toMatchObject({ total: 10_000, totalRelation: 'gte' });
      else expect(page.facets).toBeUndefined();
      for (const item of page.items) seen.add(item.id);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 200);
    expect(seen.size).toBe(total);
    expect(pages).toBe(101);
  }, 120_000);
});
