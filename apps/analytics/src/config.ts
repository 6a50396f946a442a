import { resolve } from 'node:path';
import { envInt, envOptional, envUrl } from '@polystore/platform';

export type ClickHouseTarget =
  { kind: 'embedded'; dataDir: string } | { kind: 'server'; url: string; username?: string; password?: string; database: string };

export interface IngestionSettings {
  /** A batch is written when it holds this many events... */
  batchSize: number;
  /** ...or when its first event has waited this long. */
  batchMaxWaitMs: number;
}

export interface AnalyticsConfig {
  clickhouse: ClickHouseTarget;
  ingestion: IngestionSettings;
}

export function loadIngestionSettings(env: NodeJS.ProcessEnv = process.env): IngestionSettings {
  return {
    batchSize: envInt('ANALYTICS_BATCH_SIZE', 20_000, { min: 1, max: 100_000 }, env),
    batchMaxWaitMs: envInt('ANALYTICS_BATCH_MAX_WAIT_MS', 500, { min: 1, max: 60_000 }, env),
  };
}

/**
 * ANALYTICS_CLICKHOUSE_URL unset → ClickHouse in-process (chdb) with data in ANALYTICS_DATA_DIR
 * (default .data/analytics); set → that server, as ANALYTICS_CLICKHOUSE_USER. Ingestion batches by
 * ANALYTICS_BATCH_SIZE events or ANALYTICS_BATCH_MAX_WAIT_MS, whichever comes first.
 */
export function loadAnalyticsConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  const url = envOptional('ANALYTICS_CLICKHOUSE_URL', env);
  if (!url) {
    return {
      clickhouse: { kind: 'embedded', dataDir: resolve(envOptional('ANALYTICS_DATA_DIR', env) ?? '.data/analytics') },
      ingestion: loadIngestionSettings(env),
    };
  }
  return {
    clickhouse: {
      kind: 'server',
      url: envUrl('ANALYTICS_CLICKHOUSE_URL', url, ['http', 'https'], env),
      username: envOptional('ANALYTICS_CLICKHOUSE_USER', env),
      password: envOptional('ANALYTICS_CLICKHOUSE_PASSWORD', env),
      database: envOptional('ANALYTICS_CLICKHOUSE_DATABASE', env) ?? 'analytics',
    },
    ingestion: loadIngestionSettings(env),
  };
}

export const ANALYTICS_CONFIG = Symbol('ANALYTICS_CONFIG');
