import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyticsClickHouse, ANALYTICS_DATABASE } from '../src/store/clickhouse.js';

/** analytics' ClickHouse, in-process through chdb, via @clickhouse/client. */
describe('analytics store: ClickHouse in-process (integration)', () => {
  const dataDir = mkdtempSync(join(process.env.POLYSTORE_TEST_DATA_DIR ?? tmpdir(), 'chdb-'));
  let store: AnalyticsClickHouse;
  beforeAll(async () => {
    store = new AnalyticsClickHouse({ clickhouse: { kind: 'embedded', dataDir }, ingestion: { batchSize: 1_000, batchMaxWaitMs: 100 } });
    await store.ensureDatabase();
  });
  afterAll(async () => {
    await store.onApplicationShutdown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a MergeTree table, inserts rows in bulk and queries them with bound parameters', async () => {
    const { client } = store;
    await client.command({
      query: `CREATE TABLE IF NOT EXISTS ${ANALYTICS_DATABASE}.probe (id UInt32, kind LowCardinality(String), at DateTime64(3)) ENGINE = MergeTree ORDER BY id`,
    });
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ id: i, kind: i % 3 === 0 ? 'fizz' : 'other', at: '2026-11-21 10:00:00.000' }));
    await client.insert({ table: `${ANALYTICS_DATABASE}.probe`, values: rows, format: 'JSONEachRow' });
    const result = await client.query({
      query: `SELECT count() AS n FROM ${ANALYTICS_DATABASE}.probe WHERE kind = {kind:String}`,
      query_params: { kind: 'fizz' },
      format: 'JSONEachRow',
    });
    // UInt64 arrives as a number in-process and as a string from a server: compare the value.
    expect(Number((await result.json<{ n: number | string }>())[0]!.n)).toBe(3334);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('keeps its data on disk in its own folder', async () => {
    const result = await store.client.query({ query: `SELECT count() AS n FROM ${ANALYTICS_DATABASE}.probe`, format: 'JSONEachRow' });
    expect(Number((await result.json<{ n: number | string }>())[0]!.n)).toBe(10_000);
  });
});
