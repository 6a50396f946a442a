import { ErrorCode, ProductsRpc, eventStreamName, type CreateProductRequest, type Product } from '@polystore/contracts';
import type { RpcError } from '@polystore/platform';
import { readEvents } from '../../../test/support/jetstream.js';
import { CATALOG_ALIAS } from '../src/store/catalog-index.js';
import { ProductsSearch } from '../src/store/products-search.js';
import { scrape } from '../../../test/support/metrics.js';
import { serviceForSuite } from '../../../test/support/service.js';
import { productBody, productsModule, uniqueSku } from './support.js';
import { failure, offContract } from '../../../test/support/rpc.js';

describe('products catalog (integration)', () => {
  const suite = serviceForSuite({ service: 'products', module: productsModule });
  const create = (body: CreateProductRequest) => suite.rpc.send(ProductsRpc.create, body);

  it('creates, reads, updates and deletes a product', async () => {
    const sku = uniqueSku();
    const created = await create(productBody(sku.toLowerCase()));
    expect(created).toMatchObject({ sku, name: 'Trail running shoe', priceCents: 8900, stockOnHand: 10, stockAvailable: 10, version: 1 });
    expect(await suite.rpc.send(ProductsRpc.get, { id: created.id })).toEqual(created);
    const updated = await suite.rpc.send(ProductsRpc.update, { id: created.id, priceCents: 7900, name: 'Trail shoe' });
    expect(updated).toMatchObject({ priceCents: 7900, name: 'Trail shoe', brand: 'Acme', version: 2 });
    await suite.rpc.send(ProductsRpc.delete, { id: created.id });
    expect((await failure(suite.rpc.send(ProductsRpc.get, { id: created.id }))).code).toBe(ErrorCode.NotFound);
    expect((await failure(suite.rpc.send(ProductsRpc.update, { id: created.id, name: 'x' }))).code).toBe(ErrorCode.NotFound);
  });

  it('exports its outbox backlog (read from OpenSearch at the scrape) and its store calls', async () => {
    await create(productBody(uniqueSku()));
    const metrics = await scrape(await suite.app.getUrl());
    const stream = { service: 'products', stream: eventStreamName('products') };
    expect(metrics.has('outbox_pending_events', stream)).toBe(true);
    expect(metrics.has('outbox_oldest_pending_age_seconds', stream)).toBe(true);
    expect(metrics.value('metrics_probe_failures_total')).toBe(0);
    expect(metrics.value('store_call_duration_seconds_count', { operation: 'products.create', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
  });

  it('refuses a SKU that is taken, in any letter case', async () => {
    const sku = uniqueSku();
    await create(productBody(sku));
    const error = await failure(create(productBody(sku.toLowerCase())));
    expect(error.code).toBe(ErrorCode.Conflict);
    expect(error.details).toEqual({ field: 'sku' });
  });

  it('validates: negative or fractional prices, bad currency, unknown fields', async () => {
    const error = await failure(create(offContract({ ...productBody(uniqueSku()), priceCents: -1, currency: 'euro', colour: 'red' })));
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect((error.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual(['colour', 'currency', 'priceCents']);
    expect((await failure(create({ ...productBody(uniqueSku()), priceCents: 10.5 }))).message).toMatch(/priceCents must be an integer/);
  });

  it('publishes ProductCreated, ProductUpdated, ProductPriceChanged and ProductDeleted through the document outbox', async () => {
    const created = await create(productBody(uniqueSku()));
    await suite.rpc.send(ProductsRpc.update, { id: created.id, stockOnHand: 12 });
    await suite.rpc.send(ProductsRpc.update, { id: created.id, priceCents: 6900 });
    await suite.rpc.send(ProductsRpc.delete, { id: created.id });
    const events = await readEvents(
      suite.link.connection,
      eventStreamName('products'),
      'events.products.>',
      (e) => (e.data as { productId?: string })?.productId === created.id,
      5,
    );
    expect(events.map((e) => e.type)).toEqual(['ProductCreated', 'ProductUpdated', 'ProductUpdated', 'ProductPriceChanged', 'ProductDeleted']);
    expect(events.every((e) => e.msgId === e.id)).toBe(true);
    expect(events[3]!.data).toMatchObject({ oldPriceCents: 8900, newPriceCents: 6900 });
    // Once its events are out, the deleted product's document is gone.
    const search = suite.app.get(ProductsSearch);
    const deadline = Date.now() + 5_000;
    let exists = true;
    while (exists && Date.now() < deadline) {
      exists = (await search.client.exists({ index: CATALOG_ALIAS, id: created.id })).body as boolean;
      if (exists) await new Promise((r) => setTimeout(r, 100));
    }
    expect(exists).toBe(false);
  });

  it('publishes events of a write whose relay never heard of it (as after a crash), from the sweep', async () => {
    // A second store instance, as a process that wrote and died: no relay is told about this write.
    const { ProductsStore } = await import('../src/store/products.store.js');
    const { CatalogService } = await import('../src/api/catalog.service.js');
    const orphanWriter = new CatalogService(new ProductsStore(suite.app.get(ProductsSearch)));
    const created = await orphanWriter.create(productBody(uniqueSku()) as never);
    const events = await readEvents(
      suite.link.connection,
      eventStreamName('products'),
      'events.products.>',
      (e) => (e.data as { productId?: string })?.productId === created.id,
      1,
      15_000,
    );
    expect(events.map((e) => e.type)).toEqual(['ProductCreated']);
  });

  it('keeps concurrent updates consistent (optimistic concurrency with retries)', async () => {
    const created = await create(productBody(uniqueSku()));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => suite.rpc.send(ProductsRpc.update, { id: created.id, stockOnHand: 100 + i })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Product>[];
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(refused.every((r) => (r.reason as RpcError).code === ErrorCode.Conflict)).toBe(true);
    const final = await suite.rpc.send(ProductsRpc.get, { id: created.id });
    // Every accepted update bumped the version exactly once: none was lost.
    const distinctStock = new Set(ok.map((r) => r.value.stockOnHand)).size;
    expect(final.version).toBe(1 + distinctStock);
  });
});
