import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ServiceName } from '@polystore/contracts';
import { AppMetrics, timeStoreCalls, eraseUnknownUsers, type ReferenceHolder } from '@polystore/platform';
import { ANALYTICS_DATABASE, AnalyticsClickHouse } from './clickhouse.js';
import { AnalyticsUserData } from './user-data.eraser.js';

/** Tables with a user column (the typed ones are fed from events_raw, so they hold no other ids). */
const USER_TABLES = ['events_raw', 'user_events', 'product_views', 'cart_additions', 'checkouts', 'order_lines'];
const NO_USER = '00000000-0000-0000-0000-000000000000';

/**
 * analytics' side of `npm run reconcile`: the users its rows name (the user column of each table;
 * ids only inside a payload, such as a message's recipient, are not listed). A user users does not
 * know is erased here like any other: rows deleted, the id's hash kept so later events about it are
 * not stored again.
 */
@Injectable()
export class AnalyticsReferences implements ReferenceHolder {
  constructor(
    @Inject(AnalyticsClickHouse) private readonly store: AnalyticsClickHouse,
    @Inject(AnalyticsUserData) private readonly users: AnalyticsUserData,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'references', metrics);
  }

  async referencedIds(_owner: ServiceName): Promise<string[]> {
    const query = USER_TABLES.map((t) => `SELECT DISTINCT toString(user_id) AS id FROM ${ANALYTICS_DATABASE}.${t} WHERE user_id IS NOT NULL`).join(
      ' UNION DISTINCT ',
    );
    const result = await this.store.client.query({ query, format: 'JSONEachRow' });
    return (await result.json<{ id: string }>()).map((r) => r.id).filter((id) => id !== NO_USER);
  }

  repair(_owner: ServiceName, ids: string[]): Promise<Record<string, number>> {
    return eraseUnknownUsers(this.users, ids);
  }
}
