import { mkdirSync } from 'node:fs';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { StoreAvailability, storeProbeSettings } from '@polystore/platform';
import { createChdbConnection } from 'chdb/connection';
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
   * dying: callers get "no responders" at once). What can go wrong inside is the engine failing or
   * never answering (its worker threads stuck, e.g. on a hung disk under the data folder): the
   * heartbeat's SELECT 1 with a deadline tells both, as it does for a ClickHouse server.
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
    this.availability = new StoreAvailability({
      store: 'clickhouse',
      probe: (signal) => this.ping(signal),
      probeDeadlineMs: timing.probeDeadlineMs,
      probeIntervalMs: timing.probeIntervalMs,
    });
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
