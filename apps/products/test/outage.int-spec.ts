import { randomUUID } from 'node:crypto';
import { ProductsRpc, eventStreamName } from '@polystore/contracts';
import { readEvents } from '../../../test/support/jetstream.js';
import { TestStore, measureOutage, printFigures, startOwner, type OutageFigure, type OutageSpec } from '../../../test/support/store-outage.js';
import type { ServiceUnderTest } from '../../../test/support/service.js';
import { productBody, productsModule, uniqueSku } from './support.js';

const spec: OutageSpec = {
  service: 'products',
  module: productsModule,
  request: (rpc) => rpc.send(ProductsRpc.get, { id: randomUUID() }), // NOT_FOUND when OpenSearch answers
  // A product created after the outage: its ProductCreated leaves through the outbox without a restart.
  afterRecovery: async (products) => {
    const created = await products.rpc.send(ProductsRpc.create, productBody(uniqueSku('OUTAGE')));
    const found = await readEvents(
      products.link.connection,
      eventStreamName('products'),
      'events.products.>',
      (e) => (e.data as { productId?: string }).productId === created.id,
      1,
    );
    expect(found.length).toBeGreaterThanOrEqual(1);
  },
};

/** products' OpenSearch node frozen (SIGSTOP) and killed (SIGKILL, then started again: the slowest store to come back). */
describe('products: OpenSearch frozen or killed (integration)', () => {
  const store = new TestStore('products');
  const figures: OutageFigure[] = [];
  let products: ServiceUnderTest;
  beforeAll(async () => {
    products = await startOwner(spec);
  });
  afterAll(async () => {
    await store.restore();
    await products?.close();
    printFigures(figures);
  });

  it('frozen: answers UNAVAILABLE within 1 s, readiness goes false, and everything comes back when OpenSearch thaws', async () => {
    figures.push(await measureOutage(spec, products, store, 'frozen'));
  }, 90_000);

  it('killed: answers UNAVAILABLE within 1 s, readiness goes false, and everything comes back when OpenSearch is started again', async () => {
    figures.push(await measureOutage(spec, products, store, 'killed'));
  }, 180_000);
});
