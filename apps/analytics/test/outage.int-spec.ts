import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyticsRpc } from '@polystore/contracts';
import { NatsLink, ensureEventStream } from '@polystore/platform';
import { opsNats } from '../../../test/support/nats.js';
import { startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';
import { isReady } from '../../../test/support/store-outage.js';
import { AnalyticsModule } from '../src/analytics.module.js';
import { INGESTED_PRODUCERS } from '../src/events/ingestion.service.js';
import { AnalyticsClickHouse } from '../src/store/clickhouse.js';

/**
 * analytics' ClickHouse runs inside the service (chdb): it cannot be frozen or killed apart from its
 * owner, and killing the owner is the service gone (callers get "no responders" → 503 at once, by
 * RpcClient). Its heartbeat checks the data folder (there, writable); the engine runs one query at
 * a time, so a long query must not look like an outage — which this suite checks. Not tested: the
 * data folder going away (moved away, chdb recreates it on the next insert, so it cannot be put
 * back), and a disk that hangs.
 */
describe('analytics: in-process ClickHouse busy (integration)', () => {
  const dataDir = mkdtempSync(join(process.env.POLYSTORE_TEST_DATA_DIR ?? tmpdir(), 'analytics-outage-'));
  let analytics: ServiceUnderTest;

  beforeAll(async () => {
    const setup = await NatsLink.open(opsNats('analytics-outage-setup'));
    for (const producer of INGESTED_PRODUCERS) await ensureEventStream(setup.connection, producer);
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
  });

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
    await analytics.rpc.send(AnalyticsRpc.ingestionStats, {}); // and it answers
  }, 30_000);
});
