import type { StoreUsage } from '@polystore/platform';
import { ANALYTICS_DATABASE, type AnalyticsClickHouse } from './clickhouse.js';

/**
 * analytics' database from system.parts (active parts): bytes on disk, rows, and the bytes of the
 * primary key and marks (ClickHouse's sparse index).
 */
export async function readAnalyticsUsage(store: AnalyticsClickHouse): Promise<StoreUsage> {
  const result = await store.client.query({
    query: `SELECT sum(bytes_on_disk) AS disk_bytes, sum(rows) AS items, sum(primary_key_bytes_in_memory) + sum(marks_bytes) AS index_bytes
            FROM system.parts WHERE database = {database:String} AND active`,
    query_params: { database: ANALYTICS_DATABASE },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ disk_bytes: string; items: string; index_bytes: string }>();
  return { diskBytes: Number(row?.disk_bytes ?? 0), items: Number(row?.items ?? 0), itemKind: 'rows', indexBytes: Number(row?.index_bytes ?? 0) };
}
