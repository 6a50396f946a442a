import { ProductsRpc } from '@polystore/contracts';
import { CATALOG_ALIAS, reindexCatalog } from '../src/store/catalog-index.js';
import { PRODUCTS_INDICES, ProductsSearch } from '../src/store/products-search.js';
import { serviceForSuite } from '../../../test/support/service.js';
import { productBody, productsModule, uniqueSku } from './support.js';

describe('products catalog migration (integration)', () => {
  const suite = serviceForSuite({ service: 'products', module: productsModule });

  it('builds a new index, copies everything and moves the alias while writes go on', async () => {
    const brand = `Reindex${Date.now().toString(36)}`;
    const products = await Promise.all(
      Array.from({ length: 20 }, () => suite.rpc.send(ProductsRpc.create, { ...productBody(uniqueSku('RX')), brand })),
    );
    const search = suite.app.get(ProductsSearch);
    // Writes keep going while the migration runs.
    let writing = true;
    const writes = (async () => {
      let n = 0;
      while (writing) {
        await suite.rpc.send(ProductsRpc.update, { id: products[n % 20]!.id, stockOnHand: 1000 + n });
        n++;
      }
      return n;
    })();
    const result = await reindexCatalog(search.client);
    writing = false;
    const writesDone = await writes;
    expect(result.to).not.toBe(result.from);
    const { body: aliases } = await search.client.indices.getAlias({ index: PRODUCTS_INDICES, name: CATALOG_ALIAS });
    expect(Object.keys(aliases)).toEqual([result.to]);
    // After the swap, every product and its latest write are in the new index.
    const last = writesDone - 1;
    const latest = await suite.rpc.send(ProductsRpc.get, { id: products[last % 20]!.id });
    expect(latest.stockOnHand).toBe(1000 + last);
    await search.client.indices.refresh({ index: CATALOG_ALIAS });
    const page = await suite.rpc.send(ProductsRpc.search, { brand, limit: 50 });
    expect(page.total).toBe(20);
    // And the service writes to the new index.
    const updated = await suite.rpc.send(ProductsRpc.update, { id: products[0]!.id, name: 'After the move' });
    const { body } = await search.client.get({ index: result.to, id: products[0]!.id });
    expect((body._source as { name: string }).name).toBe(updated.name);
  }, 60_000);
});
