import { resolve } from 'node:path';
import { envOptional, envUrl } from '@polystore/platform';

export type ClickHouseTarget =
  | { kind: 'embedded'; dataDir: string }
  | { kind: 'server'; url: string; username?: string; password?: string; database: string };

export interface AnalyticsConfig {
  clickhouse: ClickHouseTarget;
}

/**
 * ANALYTICS_CLICKHOUSE_URL unset → ClickHouse in-process (chdb) with data in ANALYTICS_DATA_DIR
 * (default .data/analytics); set → that server, as ANALYTICS_CLICKHOUSE_USER.
 */
export function loadAnalyticsConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  const url = envOptional('ANALYTICS_CLICKHOUSE_URL', env);
  if (!url) {
    return { clickhouse: { kind: 'embedded', dataDir: resolve(envOptional('ANALYTICS_DATA_DIR', env) ?? '.data/analytics') } };
  }
  return {
    clickhouse: {
      kind: 'server',
      url: envUrl('ANALYTICS_CLICKHOUSE_URL', url, ['http', 'https'], env),
      username: envOptional('ANALYTICS_CLICKHOUSE_USER', env),
      password: envOptional('ANALYTICS_CLICKHOUSE_PASSWORD', env),
      database: envOptional('ANALYTICS_CLICKHOUSE_DATABASE', env) ?? 'analytics',
    },
  };
}

export const ANALYTICS_CONFIG = Symbol('ANALYTICS_CONFIG');
