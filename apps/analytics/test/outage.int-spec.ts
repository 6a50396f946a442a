import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { AnalyticsRpc, ErrorCode, UsersEvents, eventSubject, type UserRegisteredV1 } from '@polystore/contracts';
import { NatsLink, ensureEventStream, newEvent, type RpcError } from '@polystore/platform';
import { opsNats } from '../../../test/support/nats.js';
import { eventually } from '../../../test/support/eventually.js';
import { startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';
import { isReady, printFigures, waitUntil, type OutageFigure } from '../../../test/support/store-outage.js';
import { AnalyticsModule } from '../src/analytics.module.js';
import { AnalyticsClickHouse } from '../src/store/clickhouse.js';

/**
 * analytics' ClickHouse runs inside the service (chdb): it cannot be frozen or killed apart from its
 * owner, and killing the owner is the service gone (callers get "no responders" → 503 at once, by
 * RpcClient). What takes the engine away is its data folder: here it is moved away (a volume gone)
 * and back. Reports must answer UNAVAILABLE within a second, readiness go false, and both come back
 * by themselves, with an event that arrived meanwhile ingested, not dead-lettered. A busy engine
 * (long queries; it runs one at a time) is not an outage. Not tested: a disk that hangs.
 */
describe('analytics: in-process ClickHouse not answering (integration)', () => {
  const dataDir = mkdtempSync(join(process.env.POLYSTORE_TEST_DATA_DIR ?? tmpdir(), 'analytics-outage-'));
  const figures: OutageFigure[] = [];
  let analytics: ServiceUnderTest;

  beforeAll(async () => {
    const setup = await NatsLink.open(opsNats('analytics-outage-setup'));
    for (const producer of ['users', 'products', 'cart', 'gateway'] as const) await ensureEventStream(setup.connection, producer);
    await setup.close();
    analytics = await startServiceForTest({
      service: 'analytics',
      module: (nats) =>
        AnalyticsModule.forRoot({ clickhouse: { kind: 'embedded', dataDir }, ingestion: { batchSize: 100, batchMaxWaitMs: 100 } }, { nats }),
      rpcTimeoutMs: 3_000,
    });
  }, 60_000);
  afterAll(async () => {
    await analytics?.close();
    rmSync(dataDir, { recursive: true, force: true });
    printFigures(figures);
  });

  const stats = () => analytics.rpc.send(AnalyticsRpc.ingestionStats, {});

  it('data folder gone: UNAVAILABLE within 1 s, readiness false, then back alone with nothing lost', async () => {
    await stats();
    await waitUntil(() => isReady(analytics), 10_000);
    const before = (await stats()).events;
    const away = `${dataDir}.away`;
    const t0 = performance.now();
    renameSync(dataDir, away);
    try {
      const failed = (await stats().then(
        () => null,
        (e: unknown) => e,
      )) as RpcError | null;
      const firstMs = performance.now() - t0;
      expect(failed?.code).toBe(ErrorCode.Unavailable);
      expect(firstMs).toBeLessThan(1_000);
      const t1 = performance.now();
      expect((await stats().catch((e: RpcError) => e)) as RpcError).toMatchObject({ code: ErrorCode.Unavailable });
      const nextMs = performance.now() - t1;
      await waitUntil(async () => !(await isReady(analytics)), 5_000);
      const readyFalseMs = performance.now() - t0;

      const event = newEvent<UserRegisteredV1>('users', UsersEvents.UserRegistered, {
        userId: crypto.randomUUID(),
        email: 'outage@example.com',
        name: 'Ada Outage',
        role: 'customer',
      });
      await jetstream(analytics.link.connection).publish(eventSubject('users', event.type, event.version), JSON.stringify(event), {
        msgID: event.id,
      });
      await new Promise((resolve) => setTimeout(resolve, 1_000));

      renameSync(away, dataDir);
      const restoredAt = performance.now();
      await waitUntil(() => isReady(analytics), 10_000);
      const recoveredMs = performance.now() - restoredAt;
      await eventually(
        () => stats().catch(() => ({ events: before })),
        (s) => s.events >= before + 1,
        { timeoutMs: 30_000 },
      );
      figures.push({ store: 'clickhouse in-process (analytics)', mode: 'data folder gone', firstMs, nextMs, readyFalseMs, recoveredMs });
    } finally {
      if (existsSync(away)) renameSync(away, dataDir);
    }
  }, 60_000);

  it('a busy engine is not an outage: readiness stays true while long queries run', async () => {
    const clickhouse = analytics.app.get(AnalyticsClickHouse);
    // 2 s each (one row per block: ClickHouse caps a sleep at 3 s per block); the engine runs them one after another.
    const running = Promise.all(
      [1, 2].map(() => clickhouse.client.command({ query: 'SELECT sleepEachRow(1) FROM numbers(2) SETTINGS max_block_size = 1' })),
    );
    let settled = false;
    void running.finally(() => (settled = true));
    while (!settled) {
      expect(await isReady(analytics)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await running;
  }, 30_000);
});
