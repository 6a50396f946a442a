import { jetstreamManager } from '@nats-io/jetstream';
import { AppMetrics, EventConsumer, EventPublisher, RpcClient, newEvent, watchDurableConsumers } from '@polystore/platform';
import { ErrorCode, UsersRpc, eventStreamName } from '@polystore/contracts';
import { alertRules } from '../../../scripts/lib/observability.ts';
import { ensurePromtool } from '../../../scripts/lib/promtool.ts';
import { Scrape, scrape } from '../../../test/support/metrics.js';
import { promtoolTestRules } from '../../../test/support/promtool.js';
import { serviceForSuite, startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';
import { AccountsService } from '../src/api/accounts.service.js';
import { usersInbox } from '../src/store/inbox.js';
import type { Tx } from '../src/store/prisma.js';
import { UsersDatabase } from '../src/store/users-database.js';
import { PrivateNats, failure, freePort, offContract, privateNatsSettings, uniqueEmail, usersModule } from './support.js';

const STREAM = { stream: 'EVENTS_USERS' };

/** users' /metrics after known requests: what moves, and by how much. */
describe('users metrics (integration)', () => {
  const suite = serviceForSuite({ service: 'users', module: usersModule({ outboxPollMs: 200 }) });
  let base: string;
  /** A caller's own metrics: the client side of request/reply. */
  const callerMetrics = new AppMetrics('metrics-test');
  let caller: RpcClient;
  beforeAll(async () => {
    base = await suite.app.getUrl();
    caller = new RpcClient(suite.link, 10_000, callerMetrics);
  });

  it('counts requests by subject and code on both sides, store calls by operation, and publishes the outbox', async () => {
    const db = suite.app.get(UsersDatabase);
    const since = new Date();
    const before = await scrape(base);
    const callerBefore = new Scrape(await callerMetrics.render());

    const registered: string[] = [];
    for (let i = 0; i < 3; i++)
      registered.push((await caller.send(UsersRpc.register, { email: uniqueEmail('metrics'), name: 'Metric Counter', password: 'password-1' })).id);
    expect((await failure(caller.send(UsersRpc.register, offContract({ email: 'not-an-email', name: 'X', password: 'password-1' })))).code).toBe(
      ErrorCode.ValidationFailed,
    );
    expect((await failure(caller.send(UsersRpc.getProfile, { userId: '01890000-0000-7000-8000-000000000000' }))).code).toBe(ErrorCode.NotFound);

    // The relay publishes the three UserRegistered events soon after their commits.
    let after = await scrape(base);
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; after = await scrape(base)) {
      if (
        after.value('outbox_pending_events', STREAM) === 0 &&
        after.value('outbox_published_events_total', STREAM) - before.value('outbox_published_events_total', STREAM) >= 3
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const delta = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    const server = 'rpc_server_duration_seconds';
    expect(delta(`${server}_count`, { service: 'users', subject: 'users.register.v1', code: 'OK' })).toBe(3);
    expect(delta(`${server}_bucket`, { subject: 'users.register.v1', code: 'OK', le: '+Inf' })).toBe(3);
    expect(delta(`${server}_sum`, { subject: 'users.register.v1', code: 'OK' })).toBeGreaterThan(0);
    expect(delta(`${server}_count`, { subject: 'users.register.v1', code: 'VALIDATION_FAILED' })).toBe(1);
    expect(delta(`${server}_count`, { subject: 'users.get-profile.v1', code: 'NOT_FOUND' })).toBe(1);
    expect(after.text).not.toMatch(/subject="[^"]*0189/); // subjects, never request data

    expect(delta('store_call_duration_seconds_count', { operation: 'accounts.create', outcome: 'ok' })).toBe(3);
    expect(delta('store_call_duration_seconds_count', { operation: 'accounts.findById' })).toBeGreaterThanOrEqual(1);

    // Only this test's rows are counted exactly: the service may meanwhile handle events an earlier
    // suite left in its durable consumers, and write events of its own for them.
    const written = await db.prisma.outboxEvent.findMany({
      where: { createdAt: { gte: since } },
      select: { type: true, envelope: true, publishedAt: true },
    });
    const ours = written.filter(
      (row) => row.type === 'UserRegistered' && registered.includes((row.envelope as { data: { userId: string } }).data.userId),
    );
    expect(ours).toHaveLength(3);
    expect(ours.every((row) => row.publishedAt !== null)).toBe(true);
    expect(delta('outbox_published_events_total', STREAM)).toBeGreaterThanOrEqual(3);
    expect(delta('outbox_published_events_total', STREAM)).toBeLessThanOrEqual(written.length);
    expect(after.value('outbox_pending_events', STREAM)).toBe(0);
    expect(after.value('outbox_oldest_pending_age_seconds', STREAM)).toBe(0);

    const callerAfter = new Scrape(await callerMetrics.render());
    const sent = (labels: Record<string, string>) =>
      callerAfter.value('rpc_client_duration_seconds_count', labels) - callerBefore.value('rpc_client_duration_seconds_count', labels);
    expect(sent({ service: 'metrics-test', subject: 'users.register.v1', code: 'OK' })).toBe(3);
    expect(sent({ subject: 'users.register.v1', code: 'VALIDATION_FAILED' })).toBe(1);
    expect(sent({ subject: 'users.get-profile.v1', code: 'NOT_FOUND' })).toBe(1);
  });

  it('counts a durable consumer’s deliveries by result and its dead letters, and reads its backlog from JetStream', async () => {
    const metrics = new AppMetrics('metrics-test');
    const db = suite.app.get(UsersDatabase);
    const run = Date.now().toString(36);
    const durable = `metrics-consumer-${run}`;
    const stream = eventStreamName('users');
    const handled: string[] = [];
    const consumer = new EventConsumer<Tx>(suite.link.connection, {
      service: 'users',
      durable,
      stream,
      subjects: [`events.users.Measured${run}.v1`],
      inbox: usersInbox(db.prisma),
      maxDeliveries: 2,
      backoffMs: [20],
      metrics,
      handle: async (event) => {
        if ((event.data as { poison: boolean }).poison) throw new Error('cannot handle this one');
        handled.push(event.id);
      },
    });
    await consumer.start();
    const stopWatching = watchDurableConsumers(metrics, suite.link.connection, 'test', () => [{ stream, durable }]);
    try {
      const publisher = new EventPublisher(suite.link.connection);
      const fine = [1, 2, 3].map(() => newEvent('users', { type: `Measured${run}`, version: 1 }, { poison: false }));
      const poison = newEvent('users', { type: `Measured${run}`, version: 1 }, { poison: true });
      for (const event of [fine[0]!, poison, fine[1]!, fine[2]!]) await publisher.publish(event);
      const labels = { stream, durable };
      let now = new Scrape(await metrics.render());
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; now = new Scrape(await metrics.render())) {
        if (
          now.value('event_consumer_dead_lettered_total', labels) === 1 &&
          handled.length === 3 &&
          now.value('event_consumer_ack_pending_messages', labels) === 0
        )
          break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(handled).toEqual(fine.map((e) => e.id));
      expect(now.value('event_consumer_events_total', { ...labels, result: 'handled' })).toBe(3);
      expect(now.value('event_consumer_events_total', { ...labels, result: 'retried' })).toBe(1); // the poison's first delivery
      expect(now.value('event_consumer_events_total', { ...labels, result: 'dead_lettered' })).toBe(1);
      expect(now.value('event_consumer_dead_lettered_total', labels)).toBe(1);
      expect(now.value('event_consumer_handle_duration_seconds_count', labels)).toBe(5);
      // The backlog gauges are JetStream's own figures (consumer info), read at the scrape.
      const info = await (await jetstreamManager(suite.link.connection)).consumers.info(stream, durable);
      now = new Scrape(await metrics.render());
      expect(now.has('event_consumer_pending_messages', labels)).toBe(true);
      expect(now.value('event_consumer_pending_messages', labels)).toBe(info.num_pending);
      expect(info.num_pending).toBe(0);
      expect(now.value('event_consumer_ack_pending_messages', labels)).toBe(info.num_ack_pending);
      expect(now.value('event_consumer_redelivered_messages', labels)).toBe(info.num_redelivered);
    } finally {
      stopWatching();
      await consumer.stop();
    }
  });

  it('serves event-loop lag, heap and GC beside them', async () => {
    const now = await scrape(base);
    expect(now.value('nodejs_heap_size_used_bytes', { service: 'users' })).toBeGreaterThan(0);
    expect(now.has('nodejs_eventloop_lag_p99_seconds', { service: 'users' })).toBe(true);
    expect(now.text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
  });
});

/**
 * The outbox alert, driven for real: NATS stops, a registration is committed, and the scraped age
 * of the oldest unpublished event rises; Prometheus' rule engine (promtool test rules), fed those
 * scraped samples, fires UsersOutboxStale with the generated rule. NATS back: the age returns to 0.
 */
describe('users outbox alert while NATS is down (integration)', () => {
  const SCRAPE_EVERY_S = 5;
  let nats: PrivateNats;
  let users: ServiceUnderTest;
  let promtool: string;

  beforeAll(async () => {
    promtool = await ensurePromtool();
    nats = new PrivateNats(await freePort());
    await nats.start();
    users = await startServiceForTest({ service: 'users', module: usersModule({ outboxPollMs: 200 }), nats: privateNatsSettings(nats.url) });
  }, 60 * 60_000);
  afterAll(async () => {
    await users?.close();
    await nats?.destroy();
  });

  it('the scraped outbox age crosses the threshold and the generated UsersOutboxStale rule fires on it', async () => {
    const base = await users.app.getUrl();
    const rule = alertRules('users').find((r) => r.alert === 'UsersOutboxStale')!;
    const threshold = Number(/> (\d+)$/.exec(rule.expr)![1]);
    await nats.stop();
    await users.app.get(AccountsService).register({ email: uniqueEmail('offline-alert'), name: 'Off Line', password: 'password-1' });

    // Scrape on a fixed beat, as Prometheus would, until the age is past the threshold by one beat.
    const ages: number[] = [];
    const start = Date.now();
    for (let i = 0; ; i++) {
      await new Promise((r) => setTimeout(r, Math.max(0, start + i * SCRAPE_EVERY_S * 1_000 - Date.now())));
      const sample = await scrape(base);
      expect(sample.has('outbox_oldest_pending_age_seconds', { service: 'users', ...STREAM })).toBe(true);
      expect(sample.value('outbox_pending_events', STREAM)).toBeGreaterThanOrEqual(1);
      ages.push(sample.value('outbox_oldest_pending_age_seconds', STREAM));
      if (ages.at(-2)! > threshold) break;
      if (i > 20) throw new Error(`the outbox age never passed ${threshold} s: ${ages.join(', ')}`);
    }
    expect(ages[0]).toBeLessThan(threshold);
    for (let i = 1; i < ages.length; i++) expect(ages[i]).toBeGreaterThan(ages[i - 1]!);

    const series = `outbox_oldest_pending_age_seconds{service="users",stream="EVENTS_USERS"}`;
    const firstOver = ages.findIndex((age) => age > threshold);
    await expect(
      promtoolTestRules(
        promtool,
        [rule],
        [
          {
            interval: `${SCRAPE_EVERY_S}s`,
            input_series: [{ series, values: ages.map((a) => a.toFixed(3)).join(' ') }],
            alert_rule_test: [
              { eval_time: `${(firstOver - 1) * SCRAPE_EVERY_S}s`, alertname: rule.alert, exp_alerts: [] },
              { eval_time: `${firstOver * SCRAPE_EVERY_S}s`, alertname: rule.alert, exp_alerts: [{ exp_labels: rule.labels }] },
            ],
          },
        ],
      ),
    ).resolves.toMatch(/SUCCESS/);

    await nats.start();
    let after = await scrape(base);
    for (
      const deadline = Date.now() + 20_000;
      Date.now() < deadline && after.value('outbox_pending_events', STREAM) > 0;
      after = await scrape(base)
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(after.value('outbox_pending_events', STREAM)).toBe(0);
    expect(after.value('outbox_oldest_pending_age_seconds', STREAM)).toBe(0);
    expect(after.value('outbox_published_events_total', STREAM)).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
