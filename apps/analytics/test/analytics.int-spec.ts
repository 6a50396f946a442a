import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { AnalyticsRpc, ErrorCode, eventSubject, type EventEnvelope, type EventProducer, type TopProductMetric } from '@polystore/contracts';
import { NatsLink, ensureEventStream, newEvent } from '@polystore/platform';
import { AnalyticsModule } from '../src/analytics.module.js';
import { INGEST_DURABLE, INGESTED_PRODUCERS } from '../src/events/ingestion.service.js';
import { AnalyticsClickHouse } from '../src/store/clickhouse.js';
import { migrate, readMigrations } from '../src/store/migrator.js';
import { failure, offContract } from '../../../test/support/rpc.js';
import { opsNats as ops } from '../../../test/support/nats.js';
import { eventually as pollUntil } from '../../../test/support/eventually.js';
import { startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';

/**
 * analytics in-process on its own ClickHouse (chdb, a fresh folder) and the test stack's NATS.
 * Events are published straight to JetStream as the operator user, as their producers would.
 */
describe('analytics (integration)', () => {
  const dataDir = mkdtempSync(join(process.env.POLYSTORE_TEST_DATA_DIR ?? tmpdir(), 'analytics-'));
  let analytics: ServiceUnderTest;

  beforeAll(async () => {
    // Every stream but messaging's exists before analytics starts; messaging's appears later.
    const setup = await NatsLink.open(ops('analytics-test-setup'));
    for (const producer of INGESTED_PRODUCERS.filter((p) => p !== 'messaging')) await ensureEventStream(setup.connection, producer);
    await setup.close();
    analytics = await startServiceForTest({
      service: 'analytics',
      module: (nats) =>
        AnalyticsModule.forRoot({ clickhouse: { kind: 'embedded', dataDir }, ingestion: { batchSize: 100, batchMaxWaitMs: 100 } }, { nats }),
    });
  }, 60_000);
  afterAll(async () => {
    await analytics?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const publish = async (event: EventEnvelope, msgID: string = event.id) =>
    jetstream(analytics.link.connection).publish(eventSubject(event.producer, event.type, event.version), JSON.stringify(event), { msgID });
  const at = <T>(producer: EventProducer, type: string, occurredAt: string, data: T): EventEnvelope<T> => ({
    ...newEvent(producer, { type, version: 1 }, data),
    occurredAt,
  });
  /** Ingestion is asynchronous: poll for up to 15 s. */
  const eventually = <T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 15_000) => pollUntil(read, check, { timeoutMs });
  const stats = () => analytics.rpc.send(AnalyticsRpc.ingestionStats, {});

  it('ingests every stream into the typed tables and answers each report from them', async () => {
    const day = '2024-03-10';
    const t = (hh: string) => `${day}T${hh}:00:00.000Z`;
    const [alice, bob] = [randomUUID(), randomUUID()];
    const [mug, pot] = [randomUUID(), randomUUID()];
    const line = (productId: string, name: string, quantity: number, unitPriceCents: number) => ({
      productId,
      name,
      quantity,
      unitPriceCents,
      lineTotalCents: quantity * unitPriceCents,
    });
    const snapshot = (productId: string, name: string, categories: string[]) => ({
      productId,
      sku: name.toUpperCase(),
      name,
      brand: 'Potter',
      categories,
      priceCents: 1500,
      currency: 'EUR',
      stockOnHand: 5,
      version: 1,
    });
    const events = [
      at('products', 'ProductCreated', t('08'), snapshot(mug, 'Mug', ['kitchen', 'gifts'])),
      at('products', 'ProductCreated', t('08'), snapshot(pot, 'Pot', ['kitchen'])),
      at('gateway', 'ProductViewed', t('09'), { productId: mug, userId: alice }),
      at('gateway', 'ProductViewed', t('09'), { productId: mug, userId: null }),
      at('gateway', 'ProductViewed', t('09'), { productId: mug, userId: bob }),
      at('gateway', 'ProductViewed', t('09'), { productId: pot, userId: bob }),
      at('cart', 'CartItemAdded', t('10'), { userId: alice, productId: mug, quantity: 2, lineQuantity: 2, unitPriceCents: 1500, currency: 'EUR' }),
      at('cart', 'CartItemAdded', t('10'), { userId: bob, productId: pot, quantity: 1, lineQuantity: 1, unitPriceCents: 4000, currency: 'EUR' }),
      at('cart', 'CheckoutCompleted', t('11'), {
        checkoutId: 'co-1',
        userId: alice,
        lines: [line(mug, 'Mug', 2, 1500), line(pot, 'Pot', 1, 4000)],
        totalCents: 7000,
        currency: 'EUR',
        completedAt: t('11'),
      }),
      at('orders', 'OrderCancelled', t('12'), { orderId: randomUUID(), userId: alice, totalCents: 7000, currency: 'EUR', cancelledAt: t('12') }),
      at('cart', 'CheckoutFailed', t('11'), {
        checkoutId: 'co-2',
        userId: bob,
        reasonCode: 'OUT_OF_STOCK',
        reason: 'no pots',
        lines: [line(pot, 'Pot', 1, 4000)],
        totalCents: 4000,
        currency: 'EUR',
        failedAt: t('11'),
      }),
      at('users', 'WalletCredited', '2024-03-11T08:00:00.000Z', {
        userId: bob,
        entryId: randomUUID(),
        kind: 'credit',
        amountCents: 500,
        balanceCents: 500,
        idempotencyKey: 'k',
      }),
    ];
    for (const event of events) await publish(event);
    const range = { from: day, to: '2024-03-11' };
    // Each stream is ingested by its own batches: wait until bob's events from the users, cart and
    // gateway streams are all in (the products stream is awaited by the category report below).
    await eventually(
      () => analytics.rpc.send(AnalyticsRpc.userActivity, { userId: bob, limit: 10 }),
      (a) => a.items.length >= 5,
    );

    const byDay = await eventually(
      () => analytics.rpc.send(AnalyticsRpc.revenue, { ...range, by: 'day' }),
      (r) => r.rows.length > 0,
    );
    expect(byDay.rows).toEqual([{ key: day, currency: 'EUR', revenueCents: 7000, orders: 1, units: 3 }]);

    // The products' batch (categories) may land after the cart's.
    const byCategory = await eventually(
      () => analytics.rpc.send(AnalyticsRpc.revenue, { ...range, by: 'category' }),
      (r) => r.rows.length > 0 && r.rows.every((row) => row.key !== '(uncategorised)'),
    );
    expect(byCategory.rows).toEqual([
      { key: 'kitchen', currency: 'EUR', revenueCents: 7000, orders: 2, units: 3 },
      { key: 'gifts', currency: 'EUR', revenueCents: 3000, orders: 1, units: 2 },
    ]);

    const top = (by: TopProductMetric) => analytics.rpc.send(AnalyticsRpc.topProducts, { ...range, by });
    expect((await top('views')).rows).toEqual([
      { productId: mug, name: 'Mug', value: 3, currency: null },
      { productId: pot, name: 'Pot', value: 1, currency: null },
    ]);
    expect((await top('units')).rows.map((r) => [r.name, r.value])).toEqual([
      ['Mug', 2],
      ['Pot', 1],
    ]);
    expect((await top('revenue')).rows.map((r) => [r.name, r.value, r.currency])).toEqual([
      ['Pot', 4000, 'EUR'],
      ['Mug', 3000, 'EUR'],
    ]);

    // orders' stream is a batch of its own: wait for its cancellation.
    const funnel = await eventually(
      () => analytics.rpc.send(AnalyticsRpc.funnel, range),
      (f) => f.total.cancelled > 0,
    );
    expect(funnel.days).toEqual([
      {
        day,
        viewed: 4,
        addedToCart: 2,
        checkedOut: 1,
        cancelled: 1,
        viewToCartRate: 0.5,
        cartToCheckoutRate: 0.5,
        viewToCheckoutRate: 0.25,
        cancellationRate: 1,
      },
      {
        day: '2024-03-11',
        viewed: 0,
        addedToCart: 0,
        checkedOut: 0,
        cancelled: 0,
        viewToCartRate: null,
        cartToCheckoutRate: null,
        viewToCheckoutRate: null,
        cancellationRate: null,
      },
    ]);
    expect(funnel.total).toMatchObject({ viewed: 4, addedToCart: 2, checkedOut: 1, cancelled: 1 });

    const dau = await analytics.rpc.send(AnalyticsRpc.dailyActiveUsers, range);
    expect(dau.days).toEqual([
      { day, users: 2 },
      { day: '2024-03-11', users: 1 },
    ]);

    const activity = await analytics.rpc.send(AnalyticsRpc.userActivity, { userId: bob, limit: 10 });
    expect(activity.items.map((i) => i.type)).toEqual(['WalletCredited', 'CheckoutFailed', 'CartItemAdded', 'ProductViewed', 'ProductViewed']);
    expect(activity.items[0]).toMatchObject({ producer: 'users', occurredAt: '2024-03-11T08:00:00.000Z', data: { amountCents: 500 } });
    expect((await analytics.rpc.send(AnalyticsRpc.userActivity, { userId: bob, limit: 2 })).items).toHaveLength(2);
  });

  it('counts an event delivered twice only once', async () => {
    const day = '2024-04-02';
    const event = at('cart', 'CheckoutCompleted', `${day}T12:00:00.000Z`, {
      checkoutId: 'co-dup',
      userId: randomUUID(),
      lines: [{ productId: randomUUID(), name: 'Lamp', quantity: 1, unitPriceCents: 2500, lineTotalCents: 2500 }],
      totalCents: 2500,
      currency: 'EUR',
      completedAt: `${day}T12:00:00.000Z`,
    });
    // A different Nats-Msg-Id gets past JetStream's own deduplication: the stream holds it twice.
    const first = await publish(event, `${event.id}-a`);
    const second = await publish(event, `${event.id}-b`);
    expect(second.seq).toBeGreaterThan(first.seq);
    const marker = at('cart', 'CheckoutCompleted', `${day}T13:00:00.000Z`, {
      ...event.data,
      checkoutId: 'co-marker',
      totalCents: 1,
      lines: [{ ...event.data.lines[0]!, lineTotalCents: 1 }],
    });
    await publish(marker);
    const report = await eventually(
      () => analytics.rpc.send(AnalyticsRpc.revenue, { from: day, to: day, by: 'day' }),
      (r) => (r.rows[0]?.orders ?? 0) >= 2,
    );
    expect(report.rows).toEqual([{ key: day, currency: 'EUR', revenueCents: 2501, orders: 2, units: 2 }]);
    const top = await analytics.rpc.send(AnalyticsRpc.topProducts, { from: day, to: day, by: 'units' });
    expect(top.rows[0]!.value).toBe(2);
  });

  it('sets aside events that fail their contract (stored with the reason, acked, counted) without blocking the stream', async () => {
    const before = await stats();
    const day = '2024-05-05';
    const bad = at('cart', 'CartItemAdded', `${day}T10:00:00.000Z`, {
      userId: randomUUID(),
      productId: randomUUID(),
      quantity: 0,
      lineQuantity: 0,
      unitPriceCents: 100,
      currency: 'EUR',
    });
    await publish(bad);
    await jetstream(analytics.link.connection).publish('events.cart.CartItemAdded.v1', '{"not": "an envelope"', { msgID: randomUUID() });
    const good = at('cart', 'CartItemAdded', `${day}T11:00:00.000Z`, {
      userId: randomUUID(),
      productId: randomUUID(),
      quantity: 1,
      lineQuantity: 1,
      unitPriceCents: 100,
      currency: 'EUR',
    });
    await publish(good);

    const funnel = await eventually(
      () => analytics.rpc.send(AnalyticsRpc.funnel, { from: day, to: day }),
      (f) => f.total.addedToCart > 0,
    );
    expect(funnel.total.addedToCart).toBe(1);
    const after = await eventually(stats, (s) => s.rejected >= before.rejected + 2);
    expect(after.rejected).toBe(before.rejected + 2);
    expect(after.rejectedByReason).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stream: 'EVENTS_CART', reason: 'data.quantity must be a whole number from 1 to 1000000' }),
        expect.objectContaining({ stream: 'EVENTS_CART', reason: 'not JSON' }),
      ]),
    );
    // Everything was acked: nothing waits for redelivery.
    const info = await eventually(
      () => jetstreamManager(analytics.link.connection).then((jsm) => jsm.consumers.info('EVENTS_CART', INGEST_DURABLE)),
      (i) => i.num_ack_pending === 0 && i.num_pending === 0,
    );
    expect([info.num_ack_pending, info.num_pending]).toEqual([0, 0]);
  });

  it('stores event types it has no table for, from a stream created after it started', async () => {
    const before = await stats();
    await ensureEventStream(analytics.link.connection, 'messaging');
    const sender = randomUUID();
    await publish(at('messaging', 'MessageSent', '2024-06-01T10:00:00.000Z', { userId: sender, conversationId: randomUUID(), text: 'hi' }));
    const after = await eventually(stats, (s) => s.events > before.events, 20_000);
    expect(after.events).toBe(before.events + 1);
    const activity = await analytics.rpc.send(AnalyticsRpc.userActivity, { userId: sender });
    expect(activity.items).toMatchObject([{ type: 'MessageSent', producer: 'messaging', data: { text: 'hi' } }]);
  });

  it('refuses bad report parameters with VALIDATION_FAILED naming the field', async () => {
    const reversed = await failure(analytics.rpc.send(AnalyticsRpc.funnel, { from: '2024-03-10', to: '2024-03-01' }));
    expect(reversed).toMatchObject({ code: ErrorCode.ValidationFailed, details: [{ field: 'to', problems: ['to must not be before from'] }] });
    const tooLong = await failure(analytics.rpc.send(AnalyticsRpc.dailyActiveUsers, { from: '2023-01-01', to: '2024-03-01' }));
    expect(tooLong.details).toMatchObject([{ field: 'to' }]);
    const dimension = await failure(analytics.rpc.send(AnalyticsRpc.revenue, offContract({ from: '2024-03-01', to: '2024-03-02', by: 'brand' })));
    expect(dimension.details).toMatchObject([{ field: 'by' }]);
    const injection = await failure(analytics.rpc.send(AnalyticsRpc.topProducts, { from: "2024-03-01' OR 1=1 --", to: '2024-03-02', by: 'views' }));
    expect(injection.details).toMatchObject([{ field: 'from' }]);
    expect((await failure(analytics.rpc.send(AnalyticsRpc.userActivity, { userId: 'me' }))).code).toBe(ErrorCode.ValidationFailed);
  });

  it('applies its versioned migrations once, and refuses an applied migration that changed', async () => {
    const store = analytics.app.get(AnalyticsClickHouse);
    const result = await store.client.query({ query: 'SELECT name FROM analytics.schema_migrations FINAL ORDER BY version', format: 'JSONEachRow' });
    expect((await result.json<{ name: string }>()).map((m) => m.name)).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(store)).toEqual([]);
    const [first, ...rest] = readMigrations();
    await expect(migrate(store, [{ ...first!, checksum: 'edited' }, ...rest])).rejects.toThrow(/0001_events was changed after it was applied/);
  });
});
