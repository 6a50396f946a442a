import { accessSync, constants, mkdirSync } from 'node:fs';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { StoreAvailability, storeProbeSettings } from '@polystore/platform';
import { createChdbConnection } from 'chdb/connection';
import { traceClickHouseClient } from '@polystore/platform';
import { ANALYTICS_CONFIG, type AnalyticsConfig } from '../config.js';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/** The database analytics' tables live in. */
export const ANALYTICS_DATABASE = 'analytics';

/**
 * analytics' only connection to ClickHouse, through @clickhouse/client either way: in-process
 * (chdb bound to the data folder; nothing else can reach it, so it is private by construction)
 * or a ClickHouse server given by URL.
 */
@Injectable()
export class AnalyticsClickHouse implements OnApplicationShutdown {
  readonly client: ClickHouseClient;
  readonly embedded: boolean;
  /**
   * In-process, the engine cannot be frozen or killed apart from this process (that is the service
   * dying: callers get "no responders" at once), and it runs one query at a time, so a SELECT 1 would
   * wait behind a long report or batch insert: busy is not away. What takes it away is its data
   * folder (a volume gone, read-only or hung): the heartbeat checks that the folder is there and
   * writable, within the deadline. A server (compose) answers SELECT 1 beside other queries.
   */
  readonly availability: StoreAvailability;

  constructor(@Inject(ANALYTICS_CONFIG) config: AnalyticsConfig) {
    const target = config.clickhouse;
    this.embedded = target.kind === 'embedded';
    if (target.kind === 'embedded') {
      mkdirSync(target.dataDir, { recursive: true });
      // chdb types its Connection against its own copy of @clickhouse/client-common, which differs
      // in a patch version from the copy bundled in @clickhouse/client; the runtime shape is the same.
      const connection = createChdbConnection({ path: target.dataDir }) as unknown as ClientConnection;
      this.client = createClient({ connection });
    } else {
      this.client = createClient({ url: target.url, username: target.username, password: target.password, database: target.database });
    }
    const timing = storeProbeSettings('analytics');
    const dataDir = target.kind === 'embedded' ? target.dataDir : null;
    this.availability = new StoreAvailability({
      store: 'clickhouse',
      // Synchronous on purpose: the engine's queries hold libuv's worker threads, where an async
      // fs call would queue behind them; a local stat takes microseconds (a hung disk hangs the engine too).
      probe: async (signal) => (dataDir ? accessSync(dataDir, constants.R_OK | constants.W_OK) : this.ping(signal)),
      probeDeadlineMs: timing.probeDeadlineMs,
      probeIntervalMs: timing.probeIntervalMs,
    });
    // A span per call (there is no OpenTelemetry instrumentation for either).
    traceClickHouseClient(this.client as unknown as Parameters<typeof traceClickHouseClient>[0]);
  }

  /** Creates the analytics database if needed (embedded: always; server: if the user may). */
  async ensureDatabase(): Promise<void> {
    await this.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${ANALYTICS_DATABASE}` });
  }

  async ping(signal?: AbortSignal): Promise<void> {
    // A server's /ping does not touch the engine; a query does, in-process and on a server alike.
    await this.client.command({ query: 'SELECT 1', abort_signal: signal });
  }

  async onApplicationShutdown(): Promise<void> {
    this.availability.stop();
    await this.client.close();
  }
}
