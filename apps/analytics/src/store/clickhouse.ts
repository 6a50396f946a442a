import { mkdirSync } from 'node:fs';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
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
    // A span per call (there is no OpenTelemetry instrumentation for either).
    traceClickHouseClient(this.client as unknown as Parameters<typeof traceClickHouseClient>[0]);
  }

  /** Creates the analytics database if needed (embedded: always; server: if the user may). */
  async ensureDatabase(): Promise<void> {
    await this.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${ANALYTICS_DATABASE}` });
  }

  async ping(): Promise<void> {
    const result = await this.client.ping();
    if (!result.success) throw result.error;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
