import { loadProductsConfig } from '../src/config.js';
import { PRODUCTS_INDEX_PREFIX, ProductsSearch } from '../src/store/products-search.js';

/** products' OpenSearch node, through @opensearch-project/opensearch. */
describe('products store: OpenSearch (integration)', () => {
  let store: ProductsSearch;
  const index = `${PRODUCTS_INDEX_PREFIX}-probe-${Date.now()}`;
  beforeAll(() => {
    store = new ProductsSearch(loadProductsConfig());
  });
  afterAll(async () => {
    await store.client.indices.delete({ index }).catch(() => undefined);
    await store.onApplicationShutdown();
  });

  it('indexes and finds a document with English stemming and typo tolerance', async () => {
    await store.client.indices.create({
      index,
      body: {
        settings: { number_of_shards: 1, number_of_replicas: 0 },
        mappings: { properties: { name: { type: 'text', analyzer: 'english' }, sku: { type: 'keyword' }, priceCents: { type: 'integer' } } },
      },
    });
    await store.client.index({ index, id: 'A-1', body: { name: 'Running shoes', sku: 'A-1', priceCents: 8900 }, refresh: true });
    const { body } = await store.client.search({ index, body: { query: { match: { name: { query: 'runing shoe', fuzziness: 'AUTO' } } } } });
    expect(body.hits.hits.map((h) => h._id)).toEqual(['A-1']);
  });

  it('rejects a stale optimistic-concurrency write with 409', async () => {
    const { body: doc } = await store.client.get({ index, id: 'A-1' });
    await store.client.index({
      index,
      id: 'A-1',
      body: { name: 'Running shoes', sku: 'A-1', priceCents: 7900 },
      if_seq_no: doc._seq_no!,
      if_primary_term: doc._primary_term!,
    });
    await expect(
      store.client.index({
        index,
        id: 'A-1',
        body: { name: 'x', sku: 'A-1', priceCents: 1 },
        if_seq_no: doc._seq_no!,
        if_primary_term: doc._primary_term!,
      }),
    ).rejects.toMatchObject({ meta: { statusCode: 409 } });
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
