import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls, type UserErasure, type UserEraser } from '@polystore/platform';
import { erasedUserHash } from '../domain/erasure.js';
import { ANALYTICS_DATABASE, AnalyticsClickHouse } from './clickhouse.js';

/**
 * The tables that can name a user, and the condition that finds the user's rows in each: by the
 * user column, and in the raw payloads by the id anywhere in the text (a message's sender or
 * recipient). Every table analytics has is here or names no user (product_catalog, schema_migrations).
 */
const TABLES: ReadonlyArray<{ table: string; where: string }> = [
  { table: 'events_raw', where: 'user_id = {userId:UUID} OR position(data, {userId:String}) > 0' },
  { table: 'events_rejected', where: 'position(payload, {userId:String}) > 0' },
  { table: 'user_events', where: 'user_id = {userId:UUID} OR position(data, {userId:String}) > 0' },
  { table: 'product_views', where: 'user_id = {userId:UUID}' },
  { table: 'cart_additions', where: 'user_id = {userId:UUID}' },
  { table: 'checkouts', where: 'user_id = {userId:UUID}' },
  { table: 'order_lines', where: 'user_id = {userId:UUID}' },
];

/**
 * analytics' part in erasing a user: every row about the user is deleted (`ALTER TABLE … DELETE`,
 * waited for with `mutations_sync = 2`), in every table, rather than re-keyed to a stand-in:
 * reports about others keep their figures, while the totals over everyone drop by what the erased
 * user did (their purchases stay in users' ledger as amounts). The user's hash is recorded first,
 * so an event about them that arrives later is not stored again (see IngestionService).
 */
@Injectable()
export class AnalyticsUserData implements UserEraser {
  /** Hashes of erased users (loaded at start, grown by each erasure): what ingestion leaves out. */
  readonly erased = new Set<string>();

  constructor(
    @Inject(AnalyticsClickHouse) private readonly store: AnalyticsClickHouse,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'erasure', metrics);
  }

  async loadErased(): Promise<void> {
    const result = await this.store.client.query({ query: `SELECT user_hash FROM ${ANALYTICS_DATABASE}.erased_users`, format: 'JSONEachRow' });
    for (const row of await result.json<{ user_hash: string }>()) this.erased.add(row.user_hash);
  }

  async erase({ userId }: UserErasure): Promise<Record<string, number>> {
    const id = userId.toLowerCase();
    const hash = erasedUserHash(id);
    this.erased.add(hash);
    await this.store.client.insert({ table: `${ANALYTICS_DATABASE}.erased_users`, values: [{ user_hash: hash }], format: 'JSONEachRow' });
    const counts: Record<string, number> = {};
    for (const { table, where } of TABLES) {
      const params = { userId: id };
      const result = await this.store.client.query({
        query: `SELECT count() AS n FROM ${ANALYTICS_DATABASE}.${table} WHERE ${where}`,
        query_params: params,
        format: 'JSONEachRow',
      });
      const n = Number((await result.json<{ n: string }>())[0]?.n ?? 0);
      counts[table] = n;
      if (n > 0) {
        await this.store.client.command({
          query: `ALTER TABLE ${ANALYTICS_DATABASE}.${table} DELETE WHERE ${where}`,
          query_params: params,
          clickhouse_settings: { mutations_sync: '2' },
        });
      }
    }
    return counts;
  }
}
