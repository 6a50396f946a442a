import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { ActivityItem, RejectedCount, RevenueDimension, RevenueRow, TopProductMetric, TopProductRow } from '@polystore/contracts';
import { AnalyticsClickHouse } from './clickhouse.js';

/**
 * The report queries. Every value arrives as a bound parameter ({name:Type}); the only varying
 * SQL is chosen from the fixed fragments below by a validated dimension. Tables are read with
 * FINAL, so an event stored twice (a redelivery) counts once even before ClickHouse merges.
 */
const IN_RANGE = 'toDate(occurred_at) BETWEEN {from:Date} AND {to:Date}';
/** Each event id lives in one partition (its month), so FINAL need not merge across them. */
const FINAL_SETTINGS = 'SETTINGS do_not_merge_across_partitions_select_final = 1';

const REVENUE_SQL: Record<RevenueDimension, string> = {
  day: `
    SELECT toString(toDate(occurred_at)) AS key, currency, sum(total_cents) AS revenueCents, count() AS orders, sum(units) AS units
    FROM analytics.checkouts FINAL
    WHERE status = 'completed' AND ${IN_RANGE}
    GROUP BY key, currency
    ORDER BY key, currency
    ${FINAL_SETTINGS}`,
  category: `
    SELECT category AS key, currency, sum(line_total_cents) AS revenueCents, count() AS orders, sum(quantity) AS units
    FROM
    (
        SELECT l.currency AS currency, l.quantity AS quantity, l.line_total_cents AS line_total_cents,
               if(empty(c.categories), ['(uncategorised)'], c.categories) AS categories
        FROM (SELECT product_id, currency, quantity, line_total_cents FROM analytics.order_lines FINAL WHERE ${IN_RANGE}) AS l
        LEFT JOIN (SELECT product_id, categories FROM analytics.product_catalog FINAL) AS c ON c.product_id = l.product_id
    )
    ARRAY JOIN categories AS category
    GROUP BY key, currency
    ORDER BY revenueCents DESC, key, currency
    ${FINAL_SETTINGS}`,
};

const TOP_PRODUCTS_INNER_SQL: Record<TopProductMetric, string> = {
  views: `SELECT product_id, count() AS value, '' AS currency, '' AS line_name
          FROM analytics.product_views FINAL WHERE ${IN_RANGE} GROUP BY product_id`,
  units: `SELECT product_id, sum(quantity) AS value, '' AS currency, any(name) AS line_name
          FROM analytics.order_lines FINAL WHERE ${IN_RANGE} GROUP BY product_id`,
  revenue: `SELECT product_id, sum(line_total_cents) AS value, currency, any(name) AS line_name
            FROM analytics.order_lines FINAL WHERE ${IN_RANGE} GROUP BY product_id, currency`,
};

const FUNNEL_SQL = `
  SELECT 'viewed' AS step, toString(toDate(occurred_at)) AS day, count() AS n FROM analytics.product_views FINAL WHERE ${IN_RANGE} GROUP BY day
  UNION ALL
  SELECT 'addedToCart' AS step, toString(toDate(occurred_at)) AS day, count() AS n FROM analytics.cart_additions FINAL WHERE ${IN_RANGE} GROUP BY day
  UNION ALL
  SELECT 'checkedOut' AS step, toString(toDate(occurred_at)) AS day, count() AS n FROM analytics.checkouts FINAL WHERE status = 'completed' AND ${IN_RANGE} GROUP BY day
  UNION ALL
  SELECT 'cancelled' AS step, toString(toDate(occurred_at)) AS day, uniqExact(order_id) AS n FROM analytics.order_cancellations FINAL WHERE ${IN_RANGE} GROUP BY day
  ${FINAL_SETTINGS}`;

/** uniqExact is indifferent to an event stored twice, so no FINAL is needed here. */
const DAILY_ACTIVE_USERS_SQL = `
  SELECT toString(toDate(occurred_at)) AS day, uniqExact(user_id) AS users
  FROM analytics.user_events
  WHERE ${IN_RANGE}
  GROUP BY day`;

const USER_ACTIVITY_SQL = `
  SELECT toString(event_id) AS eventId, type, version, producer, toString(occurred_at) AS occurredAt, data
  FROM analytics.user_events FINAL
  WHERE user_id = {userId:UUID}
  ORDER BY occurred_at DESC, event_id DESC
  LIMIT {limit:UInt32}
  ${FINAL_SETTINGS}`;

export type FunnelCounts = {
  viewed: Map<string, number>;
  addedToCart: Map<string, number>;
  checkedOut: Map<string, number>;
  cancelled: Map<string, number>;
};

@Injectable()
export class ReportsStore {
  constructor(
    @Inject(AnalyticsClickHouse) private readonly store: AnalyticsClickHouse,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'reports', metrics);
  }

  async revenue(by: RevenueDimension, from: string, to: string): Promise<RevenueRow[]> {
    const rows = await this.rows<Record<keyof RevenueRow, string | number>>(REVENUE_SQL[by], { from, to });
    return rows.map((r) => ({
      key: String(r.key),
      currency: String(r.currency),
      revenueCents: Number(r.revenueCents),
      orders: Number(r.orders),
      units: Number(r.units),
    }));
  }

  async topProducts(by: TopProductMetric, from: string, to: string, limit: number): Promise<TopProductRow[]> {
    const sql = `
      SELECT toString(t.product_id) AS productId, if(c.name != '', c.name, t.line_name) AS name, t.value AS value, t.currency AS currency
      FROM (${TOP_PRODUCTS_INNER_SQL[by]} ORDER BY value DESC, product_id LIMIT {limit:UInt32}) AS t
      LEFT JOIN (SELECT product_id, name FROM analytics.product_catalog FINAL) AS c ON c.product_id = t.product_id
      ORDER BY value DESC, productId
      ${FINAL_SETTINGS}`;
    const rows = await this.rows<{ productId: string; name: string; value: string | number; currency: string }>(sql, { from, to, limit });
    return rows.map((r) => ({ productId: r.productId, name: r.name || null, value: Number(r.value), currency: r.currency || null }));
  }

  async funnelCounts(from: string, to: string): Promise<FunnelCounts> {
    const rows = await this.rows<{ step: keyof FunnelCounts; day: string; n: string | number }>(FUNNEL_SQL, { from, to });
    const counts: FunnelCounts = { viewed: new Map(), addedToCart: new Map(), checkedOut: new Map(), cancelled: new Map() };
    for (const r of rows) counts[r.step].set(r.day, Number(r.n));
    return counts;
  }

  async dailyActiveUsers(from: string, to: string): Promise<Map<string, number>> {
    const rows = await this.rows<{ day: string; users: string | number }>(DAILY_ACTIVE_USERS_SQL, { from, to });
    return new Map(rows.map((r) => [r.day, Number(r.users)]));
  }

  async userActivity(userId: string, limit: number): Promise<ActivityItem[]> {
    const rows = await this.rows<{ eventId: string; type: string; version: number; producer: string; occurredAt: string; data: string }>(
      USER_ACTIVITY_SQL,
      {
        userId,
        limit,
      },
    );
    return rows.map((r) => ({
      eventId: r.eventId,
      type: r.type,
      version: Number(r.version),
      producer: r.producer,
      occurredAt: `${r.occurredAt.replace(' ', 'T')}Z`,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }

  async ingestionStats(): Promise<{ events: number; rejected: number; rejectedByReason: RejectedCount[] }> {
    const [events] = await this.rows<{ n: string | number }>('SELECT uniqExact(event_id) AS n FROM analytics.events_raw', {});
    const byReason = await this.rows<{ stream: string; reason: string; count: string | number }>(
      `SELECT stream, reason, count() AS count FROM analytics.events_rejected FINAL GROUP BY stream, reason ORDER BY count DESC, stream, reason LIMIT 100`,
      {},
    );
    const rejectedByReason = byReason.map((r) => ({ stream: r.stream, reason: r.reason, count: Number(r.count) }));
    const [rejected] = await this.rows<{ n: string | number }>('SELECT count() AS n FROM analytics.events_rejected FINAL', {});
    return { events: Number(events?.n ?? 0), rejected: Number(rejected?.n ?? 0), rejectedByReason };
  }

  private async rows<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    const result = await this.store.client.query({ query, query_params: params, format: 'JSONEachRow' });
    return result.json<T>();
  }
}
