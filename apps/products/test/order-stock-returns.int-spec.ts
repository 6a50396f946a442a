import { randomUUID } from 'node:crypto';
import { ProductsRpc, eventStreamName, type EventEnvelope, type OrderStockReturnedV1 } from '@polystore/contracts';
import { NatsLink, ensureEventStream } from '@polystore/platform';
import { returnUnits } from '../src/domain/stock.js';
import { ProductsStore } from '../src/store/products.store.js';
import { StockReturnsStore } from '../src/store/stock-returns.store.js';
import { eventually } from '../../../test/support/eventually.js';
import { readEvents } from '../../../test/support/jetstream.js';
import { opsNats } from '../../../test/support/nats.js';
import { cancellationRequested, publishAgain, publishEvent } from '../../../test/support/order-events.js';
import { startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';
import { isReady, waitUntil } from '../../../test/support/store-outage.js';
import { productBody, productsModule, uniqueSku } from './support.js';

/**
 * products' part of the cancellation choreography: orders' OrderCancellationRequested arrives on
 * JetStream (published here as orders would), products puts the order's units back on hand once
 * and answers OrderStockReturned. products runs as its own NATS user (the manifest's grants).
 */
describe('products: returns a cancelled order’s stock (integration)', () => {
  let products: ServiceUnderTest;
  let link: NatsLink;
  /** Started, and ready (its heartbeat has seen OpenSearch: on a loaded machine the first probe can be late). */
  const start = async () => {
    const service = await startServiceForTest({ service: 'products', module: productsModule, ownNatsUser: true });
    await waitUntil(() => isReady(service), 30_000);
    return service;
  };

  beforeAll(async () => {
    link = await NatsLink.open(opsNats('products-returns-test'));
    await ensureEventStream(link.connection, 'orders');
    products = await start();
  }, 60_000);
  afterAll(async () => {
    await products?.close();
    await link?.close();
  });

  const stockOf = async (id: string) => (await products.rpc.send(ProductsRpc.get, { id })).stockOnHand;
  /** A product with `stock` units, of which `sold` went to a completed checkout (reserved, then committed, as cart's saga does). */
  async function sold(stock: number, lines: number[]) {
    const items = await Promise.all(lines.map(() => products.rpc.send(ProductsRpc.create, productBody(uniqueSku('RET'), { stockOnHand: stock }))));
    const checkoutId = randomUUID();
    const reserved = items.map((p, i) => ({ productId: p.id, quantity: lines[i]! }));
    await products.rpc.send(ProductsRpc.reserveStock, { reservationId: checkoutId, lines: reserved });
    await products.rpc.send(ProductsRpc.commitStock, { reservationId: checkoutId });
    return { checkoutId, ids: items.map((p) => p.id), lines: reserved };
  }
  const answers = (orderId: string, count: number, timeoutMs = 10_000) =>
    readEvents(
      link.connection,
      eventStreamName('products'),
      'events.products.>',
      (e) => e.type === 'OrderStockReturned' && (e.data as { orderId?: string }).orderId === orderId,
      count,
      timeoutMs,
    ) as Promise<Array<EventEnvelope<OrderStockReturnedV1>>>;

  it('puts the units back once and answers OrderStockReturned, even redelivered to two instances at once', async () => {
    const { checkoutId, ids, lines } = await sold(10, [3, 1]);
    expect(await Promise.all(ids.map(stockOf))).toEqual([7, 9]);
    const second = await start();
    try {
      const requested = cancellationRequested({ userId: randomUUID(), checkoutId, totalCents: 1_000, lines });
      await publishEvent(link.connection, requested);
      // Redeliveries (the same event id) racing the first delivery on two instances of the durable consumer.
      await Promise.all([1, 2, 3, 4].map(() => publishAgain(link.connection, requested)));
      const [answer] = await answers(requested.data.orderId, 1);
      expect(answer).toMatchObject({ producer: 'products', data: { orderId: requested.data.orderId } });
      expect(answer!.data.lines).toEqual(expect.arrayContaining(lines));
      expect(
        await eventually(
          () => Promise.all(ids.map(stockOf)),
          (s) => s[0] === 10 && s[1] === 10,
        ),
      ).toEqual([10, 10]);
      await new Promise((r) => setTimeout(r, 1_500)); // every redelivery handled by now
      expect(await Promise.all(ids.map(stockOf))).toEqual([10, 10]);
      expect(await answers(requested.data.orderId, 2, 1_500)).toHaveLength(1);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('never takes back more than the checkout sold, and nothing for a checkout it sold nothing to', async () => {
    const { checkoutId, ids } = await sold(5, [2]);
    const overAsked = cancellationRequested({ userId: randomUUID(), checkoutId, totalCents: 1, lines: [{ productId: ids[0]!, quantity: 4 }] });
    const unknown = cancellationRequested({
      userId: randomUUID(),
      checkoutId: randomUUID(),
      totalCents: 1,
      lines: [{ productId: ids[0]!, quantity: 1 }],
    });
    await publishEvent(link.connection, overAsked);
    await publishEvent(link.connection, unknown);
    const [over] = await answers(overAsked.data.orderId, 1);
    const [none] = await answers(unknown.data.orderId, 1);
    expect(over!.data.lines).toEqual([{ productId: ids[0], quantity: 2 }]);
    expect(none!.data.lines).toEqual([]);
    expect(await stockOf(ids[0]!)).toBe(5);
  }, 30_000);

  it('a return left half-way (one product done, then the service died) finishes without applying the first twice', async () => {
    const { checkoutId, ids, lines } = await sold(8, [2, 3]);
    const requested = cancellationRequested({ userId: randomUUID(), checkoutId, totalCents: 1, lines });
    // What a crash after the first product's write leaves behind: the return document, and that product's units back.
    const now = new Date().toISOString();
    await products.app.get(StockReturnsStore).getOrCreate({
      orderId: requested.data.orderId,
      checkoutId,
      status: 'returning',
      lines,
      createdAt: now,
      updatedAt: now,
    });
    await products.app.get(ProductsStore).modify(ids[0]!, (current) => ({ next: returnUnits(current, requested.data.orderId, 2, now)!, events: [] }));
    expect(await Promise.all(ids.map(stockOf))).toEqual([8, 5]);

    await products.close(); // stopped: the event waits in the stream
    await publishEvent(link.connection, requested);
    products = await start();
    const [answer] = await answers(requested.data.orderId, 1, 20_000);
    expect(answer!.data.lines).toEqual(expect.arrayContaining(lines));
    expect(await Promise.all(ids.map(stockOf))).toEqual([8, 8]);
  }, 60_000);
});
