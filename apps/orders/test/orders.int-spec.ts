import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import {
  CartEvents,
  ErrorCode,
  OrdersRpc,
  ProductsEvents,
  UsersEvents,
  eventSubject,
  healthSubject,
  type CheckoutCompletedV1,
  type EventEnvelope,
  type EventProducer,
} from '@polystore/contracts';
import { NatsLink, ensureEventStream, newEvent, type NatsSettings } from '@polystore/platform';
import pg from 'pg';
import { otherServicesCredentials } from '../../../test/support/credentials.js';
import { eventually } from '../../../test/support/eventually.js';
import { readEvents } from '../../../test/support/jetstream.js';
import { opsNats } from '../../../test/support/nats.js';
import { failure, offContract } from '../../../test/support/rpc.js';
import { serviceForSuite, startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';
import { orderIdOf } from '../src/api/orders.service.js';
import { loadOrdersConfig } from '../src/config.js';
import { OrdersModule } from '../src/orders.module.js';
import { OrderProjections } from '../src/store/projections.js';

/** The answering services' events, published straight to their streams (their reactions are not part of orders). */
async function publish(on: ServiceUnderTest | NatsLink, event: EventEnvelope): Promise<void> {
  const nc = 'link' in on ? on.link.connection : on.connection;
  await ensureEventStream(nc, event.producer as EventProducer);
  await jetstream(nc).publish(eventSubject(event.producer as EventProducer, event.type, event.version), JSON.stringify(event), { msgID: event.id });
}

function checkout(userId: string, overrides: Partial<CheckoutCompletedV1> = {}): CheckoutCompletedV1 {
  return {
    checkoutId: randomUUID(),
    userId,
    lines: [
      { productId: randomUUID(), name: 'Teapot', quantity: 2, unitPriceCents: 1500, lineTotalCents: 3000 },
      { productId: randomUUID(), name: 'Kettle', quantity: 1, unitPriceCents: 2000, lineTotalCents: 2000 },
    ],
    totalCents: 5000,
    currency: 'EUR',
    completedAt: new Date().toISOString(),
    ...overrides,
  };
}

const module = () => (nats: NatsSettings) => OrdersModule.forRoot(loadOrdersConfig(), { nats });

/** orders in-process, with its own NATS user (so its permissions are tested too), on its real PostgreSQL database and real JetStream. */
describe('orders (integration)', () => {
  const suite = serviceForSuite({ service: 'orders', module: module(), ownNatsUser: true });

  /** Publishes a checkout and waits for its order. */
  async function placed(data: CheckoutCompletedV1) {
    await publish(suite, newEvent('cart', CartEvents.CheckoutCompleted, data));
    const orderId = orderIdOf(data.checkoutId);
    const order = await eventually(
      () => suite.rpc.send(OrdersRpc.get, { userId: data.userId, orderId }).catch(() => null),
      (o) => o !== null,
    );
    expect(order).not.toBeNull();
    return order!;
  }

  it('reports itself and its store healthy', async () => {
    const report = await suite.rpc.send(healthSubject('orders'), {});
    expect(report).toMatchObject({ service: 'orders', ok: true });
    expect(report.checks.map((c) => c.name)).toContain('postgres');
  });

  it('places one order per completed checkout, with the lines, names and prices as bought, and publishes OrderPlaced', async () => {
    const userId = randomUUID();
    const data = checkout(userId);
    const order = await placed(data);
    expect(order).toMatchObject({
      orderId: orderIdOf(data.checkoutId),
      checkoutId: data.checkoutId,
      userId,
      status: 'placed',
      totalCents: 5000,
      itemCount: 3,
      placedAt: data.completedAt,
      lines: data.lines,
      cancellation: null,
      version: 1,
      timeline: [{ event: 'OrderPlaced', status: 'placed', at: data.completedAt, note: null }],
    });
    // The same checkout again (a second event, e.g. after a republish outside the dedup window): still one order.
    await publish(suite, newEvent('cart', CartEvents.CheckoutCompleted, data));
    const marker = checkout(userId);
    await placed(marker); // handled after the repeat (one consumer, stream order)
    const mine = await suite.rpc.send(OrdersRpc.listMine, { userId });
    expect(mine.orders.map((o) => o.orderId).sort()).toEqual([orderIdOf(data.checkoutId), orderIdOf(marker.checkoutId)].sort());
    expect((await suite.rpc.send(OrdersRpc.get, { userId, orderId: order.orderId })).version).toBe(1);
    const published = await readEvents(
      suite.link.connection,
      'EVENTS_ORDERS',
      'events.orders.OrderPlaced.v1',
      (e) => (e.data as { orderId: string }).orderId === order.orderId,
      1,
    );
    expect(published).toHaveLength(1);
    expect(published[0]!.data).toMatchObject({ checkoutId: data.checkoutId, lines: data.lines, totalCents: 5000 });
  });

  it('lists only my orders, newest first, a page at a time; someone else’s order is not found', async () => {
    const me = randomUUID();
    const other = randomUUID();
    const base = Date.parse('2026-10-01T12:00:00.000Z');
    const mine = [0, 1, 2].map((i) => checkout(me, { completedAt: new Date(base + i * 60_000).toISOString() }));
    for (const c of mine) await placed(c);
    const theirs = await placed(checkout(other));
    const first = await suite.rpc.send(OrdersRpc.listMine, { userId: me, limit: 2 });
    expect(first.orders.map((o) => o.placedAt)).toEqual([mine[2]!.completedAt, mine[1]!.completedAt]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await suite.rpc.send(OrdersRpc.listMine, { userId: me, limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ orders: [expect.objectContaining({ placedAt: mine[0]!.completedAt, userId: me })], nextCursor: null });
    expect((await failure(suite.rpc.send(OrdersRpc.get, { userId: me, orderId: theirs.orderId }))).code).toBe(ErrorCode.NotFound);
    expect((await failure(suite.rpc.send(OrdersRpc.cancel, { userId: me, orderId: theirs.orderId }))).code).toBe(ErrorCode.NotFound);
    expect((await failure(suite.rpc.send(OrdersRpc.listMine, { userId: me, cursor: 'bm90LWEtY3Vyc29y' }))).code).toBe(ErrorCode.ValidationFailed);
  });

  it('refuses bad input naming the field', async () => {
    const invalid = await failure(suite.rpc.send(OrdersRpc.listMine, offContract({ userId: 'me', limit: 0, extra: 1 })));
    expect(invalid.code).toBe(ErrorCode.ValidationFailed);
    expect((invalid.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual(['extra', 'limit', 'userId']);
    const admin = await failure(suite.rpc.send(OrdersRpc.adminList, offContract({ status: 'lost', from: '2026-13-01' })));
    expect((admin.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual(['from', 'status']);
  });

  it('cancels by choreography: requested (published), refunded and restocked in either order, then cancelled (published)', async () => {
    const userId = randomUUID();
    const order = await placed(checkout(userId));
    const requested = await suite.rpc.send(OrdersRpc.cancel, { userId, orderId: order.orderId });
    expect(requested).toMatchObject({ status: 'cancelling', cancellation: { refund: 'pending', restock: 'pending', cancelledAt: null }, version: 2 });
    const [request] = await readEvents(
      suite.link.connection,
      'EVENTS_ORDERS',
      'events.orders.OrderCancellationRequested.v1',
      (e) => (e.data as { orderId: string }).orderId === order.orderId,
      1,
    );
    expect(request?.data).toMatchObject({
      checkoutId: order.checkoutId,
      userId,
      totalCents: 5000,
      lines: order.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
    });

    // Twice → 409 with the reason, the order unchanged.
    const twice = await failure(suite.rpc.send(OrdersRpc.cancel, { userId, orderId: order.orderId }));
    expect(twice).toMatchObject({ code: ErrorCode.Conflict, message: expect.stringMatching(/already under way/) });

    // products answers first: the order shows the restock and waits for the refund.
    const lines = order.lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));
    await publish(
      suite,
      newEvent('products', ProductsEvents.OrderStockReturned, { orderId: order.orderId, lines, returnedAt: new Date().toISOString() }),
    );
    const halfway = await eventually(
      () => suite.rpc.send(OrdersRpc.get, { userId, orderId: order.orderId }),
      (o) => o.cancellation?.restock === 'returned',
    );
    expect(halfway).toMatchObject({ status: 'cancelling', cancellation: { refund: 'pending', restock: 'returned' } });
    const refunded = newEvent('users', UsersEvents.OrderPaymentRefunded, {
      orderId: order.orderId,
      userId,
      entryId: randomUUID(),
      amountCents: 5000,
      balanceCents: 5000,
    });
    await publish(suite, refunded);
    await publish(suite, { ...refunded, id: randomUUID() }); // the same answer twice: recorded once
    const done = await eventually(
      () => suite.rpc.send(OrdersRpc.get, { userId, orderId: order.orderId }),
      (o) => o.status === 'cancelled',
    );
    expect(done).toMatchObject({
      status: 'cancelled',
      cancellation: { refund: 'refunded', restock: 'returned', cancelledAt: expect.any(String) },
      version: 5,
    });
    expect(done.timeline.map((t) => t.event)).toEqual([
      'OrderPlaced',
      'OrderCancellationRequested',
      'OrderRestocked',
      'OrderRefunded',
      'OrderCancelled',
    ]);
    const cancelled = await readEvents(
      suite.link.connection,
      'EVENTS_ORDERS',
      'events.orders.OrderCancelled.v1',
      (e) => (e.data as { orderId: string }).orderId === order.orderId,
      1,
    );
    expect(cancelled[0]?.data).toMatchObject({ userId, totalCents: 5000, currency: 'EUR' });
    expect((await failure(suite.rpc.send(OrdersRpc.cancel, { userId, orderId: order.orderId }))).message).toMatch(/already cancelled/);
  });

  it('shows a refused refund with its reason, and refuses to cancel after the window (422 with when it closed)', async () => {
    const userId = randomUUID();
    const order = await placed(checkout(userId));
    await suite.rpc.send(OrdersRpc.cancel, { userId, orderId: order.orderId });
    await publish(
      suite,
      newEvent('users', UsersEvents.OrderPaymentRefundDeclined, {
        orderId: order.orderId,
        userId,
        reasonCode: 'NOT_FOUND',
        reason: 'no debit for this checkout',
      }),
    );
    const standing = await eventually(
      () => suite.rpc.send(OrdersRpc.get, { userId, orderId: order.orderId }),
      (o) => o.cancellation?.refund === 'refused',
    );
    expect(standing).toMatchObject({ status: 'cancelling', cancellation: { refund: 'refused', refundReason: 'no debit for this checkout' } });
    expect(standing.timeline.at(-1)).toMatchObject({ event: 'OrderRefundRefused', note: 'NOT_FOUND: no debit for this checkout' });

    const old = await placed(
      checkout(userId, { completedAt: new Date(Date.now() - (loadOrdersConfig().cancelWindowSeconds + 60) * 1000).toISOString() }),
    );
    const late = await failure(suite.rpc.send(OrdersRpc.cancel, { userId, orderId: old.orderId }));
    expect(late).toMatchObject({ code: ErrorCode.Unprocessable, message: expect.stringMatching(/cancellation window .* closed at/) });
    expect((await suite.rpc.send(OrdersRpc.get, { userId, orderId: old.orderId })).status).toBe('placed');
  });

  it('appends with optimistic concurrency: of concurrent cancellations exactly one wins, the others conflict', async () => {
    const userId = randomUUID();
    const order = await placed(checkout(userId));
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => suite.rpc.send(OrdersRpc.cancel, { userId, orderId: order.orderId })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason.code).toBe(ErrorCode.Conflict);
    const after = await suite.rpc.send(OrdersRpc.get, { userId, orderId: order.orderId });
    expect(after.timeline.map((t) => t.event)).toEqual(['OrderPlaced', 'OrderCancellationRequested']);
  });

  it('lists every customer’s orders for admins, filtered, with names from its read model of users’ events', async () => {
    const userId = randomUUID();
    const email = `${userId.slice(0, 8)}@example.com`;
    await publish(suite, newEvent('users', UsersEvents.UserRegistered, { userId, email, name: 'Ada', role: 'customer' }));
    await publish(suite, newEvent('users', UsersEvents.UserProfileUpdated, { userId, email, name: 'Ada King', changed: ['name'] }));
    const day = '2026-09-15';
    const a = await placed(checkout(userId, { completedAt: `${day}T08:00:00.000Z` }));
    const b = await placed(checkout(userId, { completedAt: `${day}T09:00:00.000Z` }));
    await placed(checkout(userId, { completedAt: '2026-09-16T00:00:00.000Z' }));
    const withNames = await eventually(
      () => suite.rpc.send(OrdersRpc.adminList, { from: day, to: day }),
      (l) => l.orders.every((o) => o.customer?.name === 'Ada King'),
    );
    expect(withNames.orders.map((o) => [o.orderId, o.customer])).toEqual([
      [b.orderId, { name: 'Ada King', email }],
      [a.orderId, { name: 'Ada King', email }],
    ]);
    const fresh = await placed(checkout(userId));
    await suite.rpc.send(OrdersRpc.cancel, { userId, orderId: fresh.orderId });
    const cancelling = await suite.rpc.send(OrdersRpc.adminList, { status: 'cancelling', limit: 1000 });
    expect(cancelling.orders.filter((o) => o.userId === userId).map((o) => o.orderId)).toEqual([fresh.orderId]);
    expect(cancelling.orders.every((o) => o.status === 'cancelling')).toBe(true);
    const bare = await suite.rpc.send(OrdersRpc.adminList, { from: day, to: day, withCustomers: false, limit: 1 });
    expect(bare.orders).toEqual([expect.objectContaining({ orderId: b.orderId, customer: null })]);
    const rest = await suite.rpc.send(OrdersRpc.adminList, { from: day, to: day, withCustomers: false, cursor: bare.nextCursor! });
    expect(rest.orders.map((o) => o.orderId)).toEqual([a.orderId]);
  });

  it('rebuilds every projection from the event store to exactly what the appends wrote', async () => {
    const db = new pg.Client({ connectionString: loadOrdersConfig().databaseUrl });
    await db.connect();
    try {
      const snapshot = async () => ({
        list: (await db.query('SELECT * FROM order_list ORDER BY order_id')).rows,
        details: (await db.query('SELECT * FROM order_details ORDER BY order_id')).rows,
      });
      const before = await snapshot();
      const events = Number((await db.query('SELECT count(*) FROM order_events')).rows[0].count);
      expect(before.list.length).toBeGreaterThan(5);
      expect(before.list.some((r) => r.status === 'cancelled')).toBe(true);
      // Damage the projections: the rebuild must not depend on what they hold.
      await db.query('DELETE FROM order_details WHERE order_id IN (SELECT order_id FROM order_details LIMIT 3)');
      await db.query(`UPDATE order_list SET status = 'placed', version = 1`);
      const result = await suite.app.get(OrderProjections).rebuild();
      expect(result).toMatchObject({ orders: before.list.length, events });
      expect(await snapshot()).toEqual(before);
    } finally {
      await db.end();
    }
  });

  it('keeps its event store append-only', async () => {
    const db = new pg.Client({ connectionString: loadOrdersConfig().databaseUrl });
    await db.connect();
    try {
      await expect(db.query(`UPDATE order_events SET type = 'OrderCancelled'`)).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM order_events')).rejects.toThrow(/append-only/);
      await expect(db.query('TRUNCATE order_events')).rejects.toThrow(/append-only/);
    } finally {
      await db.end();
    }
  });
});

describe('orders across a restart (integration)', () => {
  const start = () => startServiceForTest({ service: 'orders', module: module(), ownNatsUser: true });

  it('places the orders of checkouts completed while it was down, once it is back', async () => {
    const ops = await NatsLink.open(opsNats('orders-restart-test'));
    try {
      const first = await start();
      await first.close();
      // orders is away: cart's event waits in its stream for orders' durable consumer.
      const data = checkout(randomUUID());
      await publish(ops, newEvent('cart', CartEvents.CheckoutCompleted, data));
      const second = await start();
      try {
        const order = await eventually(
          () => second.rpc.send(OrdersRpc.get, { userId: data.userId, orderId: orderIdOf(data.checkoutId) }).catch(() => null),
          (o) => o !== null,
        );
        expect(order).toMatchObject({ status: 'placed', totalCents: 5000 });
      } finally {
        await second.close();
      }
    } finally {
      await ops.close();
    }
  });
});

describe('orders database ownership', () => {
  it('refuses every other service’s credentials', async () => {
    const url = new URL(loadOrdersConfig().databaseUrl);
    for (const other of otherServicesCredentials('orders')) {
      const client = new pg.Client({ host: url.hostname, port: Number(url.port), database: 'orders', user: other.user, password: other.password });
      await expect(client.connect()).rejects.toThrow(/password authentication failed|does not exist/);
      await client.end().catch(() => undefined);
    }
  });

  it('grants orders_svc nothing beyond its own database', async () => {
    const url = new URL(loadOrdersConfig().databaseUrl);
    url.pathname = '/postgres';
    const client = new pg.Client({ connectionString: url.toString() });
    try {
      await expect(client.connect()).rejects.toThrow(/permission denied for database|not have CONNECT/);
    } finally {
      await client.end().catch(() => undefined);
    }
  });
});
