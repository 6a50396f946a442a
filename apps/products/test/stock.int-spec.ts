import { randomUUID } from 'node:crypto';
import { ErrorCode, ProductsRpc, eventStreamName } from '@polystore/contracts';
import type { RpcError } from '@polystore/platform';
import { readEvents } from '../../../test/support/jetstream.js';
import { StockService } from '../src/api/stock.service.js';
import { ProductsSearch } from '../src/store/products-search.js';
import { ProductsStore } from '../src/store/products.store.js';
import { ReservationsStore } from '../src/store/reservations.store.js';
import { serviceForSuite } from '../../../test/support/service.js';
import { productBody, productsModule, uniqueSku } from './support.js';
import { failure } from '../../../test/support/rpc.js';

describe('products stock reservations (integration)', () => {
  const suite = serviceForSuite({ service: 'products', module: productsModule });
  const product = async (stockOnHand: number) => suite.rpc.send(ProductsRpc.create, productBody(uniqueSku('STK'), { stockOnHand }));
  const get = (id: string) => suite.rpc.send(ProductsRpc.get, { id });
  const reserve = (reservationId: string, lines: Array<{ productId: string; quantity: number }>, ttlSeconds?: number) =>
    suite.rpc.send(ProductsRpc.reserveStock, { reservationId, lines, ...(ttlSeconds ? { ttlSeconds } : {}) });

  it('two instances writing the same product in turn: each one’s remembered version goes stale, nothing is lost', async () => {
    const p = await product(0);
    const mine = suite.app.get(ProductsStore);
    const other = new ProductsStore(suite.app.get(ProductsSearch)); // as a second products instance would
    for (let i = 0; i < 10; i++) {
      for (const store of [mine, other])
        await store.modify(p.id, (current) => ({ next: { ...current, stockOnHand: current.stockOnHand + 1 }, events: [] }));
    }
    expect((await get(p.id)).stockOnHand).toBe(20);
  });

  it('reserves, then commits: stock on hand goes down once, however often it is retried', async () => {
    const p = await product(5);
    const id = randomUUID();
    const held = await reserve(id, [{ productId: p.id, quantity: 2 }]);
    expect(held).toMatchObject({ status: 'held', lines: [{ productId: p.id, quantity: 2, priceCents: 8900, currency: 'EUR' }] });
    expect(await reserve(id, [{ productId: p.id, quantity: 2 }])).toEqual(held);
    expect(await get(p.id)).toMatchObject({ stockOnHand: 5, stockAvailable: 3 });
    const committed = await suite.rpc.send(ProductsRpc.commitStock, { reservationId: id });
    expect(committed.status).toBe('committed');
    await suite.rpc.send(ProductsRpc.commitStock, { reservationId: id });
    expect(await get(p.id)).toMatchObject({ stockOnHand: 3, stockAvailable: 3 });
    expect((await failure(suite.rpc.send(ProductsRpc.releaseStock, { reservationId: id }))).code).toBe(ErrorCode.Conflict);
    const events = await readEvents(
      suite.link.connection,
      eventStreamName('products'),
      'events.products.>',
      (e) => (e.data as { reservationId?: string })?.reservationId === id,
      2,
    );
    expect(events.map((e) => e.type)).toEqual(['StockReserved', 'StockCommitted']);
  });

  it('a reservation asked for again while it is being made joins the call under way instead of writing beside it', async () => {
    const p = await product(5);
    const id = randomUUID();
    const lines = [{ productId: p.id, quantity: 2 }];
    const stock = suite.app.get(StockService);
    const reservations = suite.app.get(ReservationsStore);
    const createOrGet = reservations.createOrGet;
    const made: string[] = [];
    reservations.createOrGet = (record) => (made.push(record.reservationId), createOrGet.call(reservations, record));
    try {
      const [first, retry] = await Promise.all([stock.reserve({ reservationId: id, lines }), stock.reserve({ reservationId: id, lines })]);
      expect(retry).toEqual(first);
      expect(made).toEqual([id]);
      // Once it has ended, the same call is answered again from the store; other lines are still refused.
      expect(await stock.reserve({ reservationId: id, lines })).toEqual(first);
      expect((await failure(stock.reserve({ reservationId: id, lines: [{ productId: p.id, quantity: 1 }] }))).code).toBe(ErrorCode.Conflict);
      expect(made).toEqual([id, id, id]);
    } finally {
      reservations.createOrGet = createOrGet;
    }
    expect(await get(p.id)).toMatchObject({ stockOnHand: 5, stockAvailable: 3 });
  });

  it('releases (idempotently) and refuses to commit a released reservation', async () => {
    const p = await product(4);
    const id = randomUUID();
    await reserve(id, [{ productId: p.id, quantity: 4 }]);
    expect((await get(p.id)).stockAvailable).toBe(0);
    expect((await suite.rpc.send(ProductsRpc.releaseStock, { reservationId: id })).status).toBe('released');
    expect((await suite.rpc.send(ProductsRpc.releaseStock, { reservationId: id })).status).toBe('released');
    expect((await get(p.id)).stockAvailable).toBe(4);
    expect((await failure(suite.rpc.send(ProductsRpc.commitStock, { reservationId: id }))).code).toBe(ErrorCode.Conflict);
  });

  it('reserves all lines or none: a shortage gives back what was held', async () => {
    const plenty = await product(5);
    const scarce = await product(1);
    const id = randomUUID();
    const error = await failure(
      reserve(id, [
        { productId: plenty.id, quantity: 2 },
        { productId: scarce.id, quantity: 2 },
      ]),
    );
    expect(error.code).toBe(ErrorCode.OutOfStock);
    expect(error.details).toEqual({ productId: scarce.id, available: 1, requested: 2 });
    expect((await get(plenty.id)).stockAvailable).toBe(5);
    expect(
      (
        await failure(
          reserve(id, [
            { productId: plenty.id, quantity: 2 },
            { productId: scarce.id, quantity: 2 },
          ]),
        )
      ).code,
    ).toBe(ErrorCode.OutOfStock);
    expect((await suite.rpc.send(ProductsRpc.getReservation, { reservationId: id })).status).toBe('rejected');
  });

  it('under concurrent reservations of the last units, reserves exactly what is available', async () => {
    const p = await product(5);
    const attempts = await Promise.allSettled(Array.from({ length: 12 }, () => reserve(randomUUID(), [{ productId: p.id, quantity: 1 }])));
    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a) => a.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(5);
    expect(lost.map((l) => (l.reason as RpcError).code)).toEqual(Array(7).fill(ErrorCode.OutOfStock));
    expect(await get(p.id)).toMatchObject({ stockOnHand: 5, stockAvailable: 0 });
  });

  it('expires a reservation that is never committed and returns its stock', async () => {
    const p = await product(3);
    const id = randomUUID();
    await reserve(id, [{ productId: p.id, quantity: 3 }], 5);
    expect((await get(p.id)).stockAvailable).toBe(0);
    await new Promise((r) => setTimeout(r, 6_500));
    await suite.app.get(StockService).sweep();
    expect(await suite.rpc.send(ProductsRpc.getReservation, { reservationId: id })).toMatchObject({ status: 'released', reason: 'expired' });
    expect((await get(p.id)).stockAvailable).toBe(3);
    expect((await failure(suite.rpc.send(ProductsRpc.commitStock, { reservationId: id }))).code).toBe(ErrorCode.Conflict);
  });

  it('validates lines: quantities 1..99, each product once', async () => {
    const p = await product(3);
    expect((await failure(reserve(randomUUID(), [{ productId: p.id, quantity: 0 }]))).message).toMatch(/quantity/);
    expect(
      (
        await failure(
          reserve(randomUUID(), [
            { productId: p.id, quantity: 1 },
            { productId: p.id, quantity: 1 },
          ]),
        )
      ).message,
    ).toMatch(/each product once/);
    const id = randomUUID();
    const missing = [{ productId: randomUUID(), quantity: 1 }];
    expect((await failure(reserve(id, missing))).code).toBe(ErrorCode.NotFound);
    // A retry of a rejected reservation is answered as the first attempt was; other lines under its id are refused.
    expect((await failure(reserve(id, missing))).code).toBe(ErrorCode.NotFound);
    expect((await failure(reserve(id, [{ productId: p.id, quantity: 1 }]))).code).toBe(ErrorCode.Conflict);
  });
});
