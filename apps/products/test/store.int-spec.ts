import { Client } from '@opensearch-project/opensearch';
import { readFileSync } from 'node:fs';
import { otherServicesCredentials } from '../../../test/support/credentials.js';
import { loadProductsConfig } from '../src/config.js';
import { PRODUCTS_INDEX_PREFIX, ProductsSearch } from '../src/store/products-search.js';

/** The HTTP status OpenSearch answers a request with (200 when it succeeds). */
async function statusOf(request: Promise<unknown>): Promise<number> {
  try {
    await request;
    return 200;
  } catch (error) {
    const status = (error as { meta?: { statusCode?: number } }).meta?.statusCode;
    if (status === undefined) throw error;
    return status;
  }
}

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

  describe('ownership: the security plugin', () => {
    const config = loadProductsConfig();
    const ca = readFileSync(config.caFile!);
    const url = new URL(config.opensearchUrl);
    /** A client of the same node with other credentials (or none), trusting the same CA. */
    const clientAs = (username?: string, password?: string) => {
      const node = new URL(url);
      node.username = '';
      node.password = '';
      return new Client({ node: node.href, ssl: { ca }, maxRetries: 0, ...(username ? { auth: { username, password: password ?? '' } } : {}) });
    };

    it('speaks only TLS, with a certificate of the stack’s own CA', async () => {
      expect(url.protocol).toBe('https:');
      const plain = new URL(url);
      plain.protocol = 'http:';
      plain.username = '';
      plain.password = '';
      await expect(fetch(new URL('/_cluster/health', plain), { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
      const untrusting = new Client({ node: url.href, maxRetries: 0 });
      await expect(untrusting.cluster.health()).rejects.toThrow(/certificate/i);
      await untrusting.close();
    });

    it('refuses no credentials, a wrong password and every other service’s credentials', async () => {
      const attempts: Array<[string, Client]> = [
        ['none', clientAs()],
        ['wrong password', clientAs(decodeURIComponent(url.username), 'not-the-password')],
        ...otherServicesCredentials('products').map(({ service, user, password }): [string, Client] => [service, clientAs(user, password)]),
      ];
      try {
        for (const [who, client] of attempts) {
          expect([who, await statusOf(client.cluster.health())]).toEqual([who, 401]);
          expect([who, await statusOf(client.search({ index: `${PRODUCTS_INDEX_PREFIX}-*` }))]).toEqual([who, 401]);
        }
      } finally {
        await Promise.all(attempts.map(([, client]) => client.close()));
      }
    });

    it('lets products reach only its own indices, and no cluster administration', async () => {
      const client = store.client;
      const other = `users-probe-${Date.now()}`;
      expect(await statusOf(client.indices.create({ index: other }))).toBe(403);
      expect(await statusOf(client.index({ index: other, body: { x: 1 } }))).toBe(403);
      expect(await statusOf(client.search({ index: '.opendistro_security' }))).toBe(403);
      expect(await statusOf(client.indices.delete({ index: '_all' }))).toBe(403);
      expect(await statusOf(client.cluster.putSettings({ body: { transient: { 'cluster.routing.allocation.enable': 'all' } } }))).toBe(403);
      expect(await statusOf(client.snapshot.getRepository({}))).toBe(403);
      expect(await statusOf(client.transport.request({ method: 'GET', path: '/_plugins/_security/api/internalusers' }))).toBe(403);
      // …while its own indices, as the first test showed, are fully its own.
      expect(await statusOf(client.search({ index }))).toBe(200);
    });
  });
});
