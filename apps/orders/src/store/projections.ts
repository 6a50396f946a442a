import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AdminOrderList, OrderDetail, OrderPage, OrderStatusName, OrderSummary } from '@polystore/contracts';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import { InvalidCursor, OrderNotFound } from '../domain/errors.js';
import { evolve, itemCount, type OrderState } from '../domain/order.js';
import { OrdersDatabase } from './orders-database.js';
import { Prisma, type PrismaClient, type Tx } from './prisma.js';

/** order_list and order_details rows of an order: functions of its state only, so a rebuild writes exactly what live appends wrote. */
function listRow(s: OrderState) {
  return {
    order_id: s.orderId,
    user_id: s.userId,
    status: s.status,
    total_cents: s.totalCents,
    currency: s.currency,
    item_count: itemCount(s),
    placed_at: s.placedAt,
    updated_at: s.updatedAt,
    version: s.version,
  };
}

function detailRow(s: OrderState) {
  return {
    order_id: s.orderId,
    user_id: s.userId,
    checkout_id: s.checkoutId,
    lines: s.lines,
    cancellation: s.cancellation,
    timeline: s.timeline,
    version: s.version,
  };
}

/**
 * Writes the projections of these orders (one statement per table); a row only ever moves to a
 * newer version. Used by appends (one order, in their transaction) and by the rebuild (thousands).
 */
export async function writeProjections(tx: Tx | PrismaClient, ...states: OrderState[]): Promise<void> {
  if (states.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO order_list (order_id, user_id, status, total_cents, currency, item_count, placed_at, updated_at, version)
    SELECT order_id, user_id, status, total_cents, currency, item_count, placed_at, updated_at, version
    FROM jsonb_to_recordset(${JSON.stringify(states.map(listRow))}::jsonb) AS x(
      order_id uuid, user_id uuid, status text, total_cents bigint, currency char(3), item_count int,
      placed_at timestamptz, updated_at timestamptz, version int)
    ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at, version = EXCLUDED.version
    WHERE order_list.version < EXCLUDED.version`;
  await tx.$executeRaw`
    INSERT INTO order_details (order_id, user_id, checkout_id, lines, cancellation, timeline, version)
    SELECT order_id, user_id, checkout_id, lines, cancellation, timeline, version
    FROM jsonb_to_recordset(${JSON.stringify(states.map(detailRow))}::jsonb) AS x(
      order_id uuid, user_id uuid, checkout_id uuid, lines jsonb, cancellation jsonb, timeline jsonb, version int)
    ON CONFLICT (order_id) DO UPDATE SET cancellation = EXCLUDED.cancellation, timeline = EXCLUDED.timeline, version = EXCLUDED.version
    WHERE order_details.version < EXCLUDED.version`;
}

interface ListRow {
  order_id: string;
  user_id: string;
  status: OrderStatusName;
  total_cents: bigint;
  currency: string;
  item_count: number;
  placed_at: Date;
  updated_at: Date;
}

export interface AdminFilter {
  from?: string;
  to?: string;
  status?: OrderStatusName;
  cursor?: string;
  limit: number;
  withCustomers: boolean;
}

export interface RebuildResult {
  orders: number;
  events: number;
  ms: number;
}

/** Orders read per batch by the rebuild. */
const REBUILD_BATCH_ORDERS = 2_000;

/** The queries, answered from the projections (never from the event store), and their rebuild. */
@Injectable()
export class OrderProjections {
  constructor(
    @Inject(OrdersDatabase) private readonly db: OrdersDatabase,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'order-projections', metrics);
  }

  /** A user's orders, newest first; served by (user_id, placed_at DESC, order_id DESC). */
  async listMine(userId: string, limit: number, cursor?: string): Promise<OrderPage> {
    const after = cursor ? decodeCursor(cursor) : null;
    const rows = await this.db.prisma.$queryRaw<ListRow[]>`
      SELECT order_id, user_id, status, total_cents, currency, item_count, placed_at, updated_at FROM order_list
      WHERE user_id = ${userId}::uuid
        ${after ? Prisma.sql`AND (placed_at, order_id) < (${after.placedAt}::timestamptz, ${after.orderId}::uuid)` : Prisma.empty}
      ORDER BY placed_at DESC, order_id DESC LIMIT ${limit + 1}`;
    return page(rows, limit, toSummary);
  }

  /** The caller's order with lines and timeline; someone else's is not found. */
  async get(userId: string, orderId: string): Promise<OrderDetail> {
    const rows = await this.db.prisma.$queryRaw<
      Array<ListRow & { checkout_id: string; lines: unknown; cancellation: unknown; timeline: unknown; version: number }>
    >`
      SELECT l.order_id, l.user_id, l.status, l.total_cents, l.currency, l.item_count, l.placed_at, l.updated_at,
             d.checkout_id, d.lines, d.cancellation, d.timeline, d.version
      FROM order_list l JOIN order_details d USING (order_id)
      WHERE l.order_id = ${orderId}::uuid AND l.user_id = ${userId}::uuid`;
    const row = rows[0];
    if (!row) throw new OrderNotFound(orderId);
    return {
      ...toSummary(row),
      checkoutId: row.checkout_id,
      lines: row.lines as OrderDetail['lines'],
      cancellation: row.cancellation as OrderDetail['cancellation'],
      timeline: row.timeline as OrderDetail['timeline'],
      version: row.version,
    };
  }

  /** Every customer's orders, newest first, with names from the customers read model (a join inside orders' own database). */
  async adminList(filter: AdminFilter): Promise<AdminOrderList> {
    const after = filter.cursor ? decodeCursor(filter.cursor) : null;
    const conditions: Prisma.Sql[] = [];
    if (filter.from) conditions.push(Prisma.sql`l.placed_at >= ${filter.from}::date`);
    if (filter.to) conditions.push(Prisma.sql`l.placed_at < (${filter.to}::date + 1)`);
    if (filter.status) conditions.push(Prisma.sql`l.status = ${filter.status}`);
    if (after) conditions.push(Prisma.sql`(l.placed_at, l.order_id) < (${after.placedAt}::timestamptz, ${after.orderId}::uuid)`);
    const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
    const rows = await this.db.prisma.$queryRaw<Array<ListRow & { name: string | null; email: string | null }>>`
      SELECT l.order_id, l.user_id, l.status, l.total_cents, l.currency, l.item_count, l.placed_at, l.updated_at,
             ${filter.withCustomers ? Prisma.sql`c.name, c.email` : Prisma.sql`NULL::text AS name, NULL::text AS email`}
      FROM order_list l ${filter.withCustomers ? Prisma.sql`LEFT JOIN customers c ON c.user_id = l.user_id` : Prisma.empty}
      ${where}
      ORDER BY l.placed_at DESC, l.order_id DESC LIMIT ${filter.limit + 1}`;
    return page(rows, filter.limit, (row) => ({
      ...toSummary(row),
      customer: row.name !== null && row.email !== null ? { name: row.name, email: row.email } : null,
    }));
  }

  /**
   * Drops every projection and rebuilds it from the event store, in one transaction (readers see
   * the old projections until it commits; an append meanwhile waits for it, then applies on top).
   * The customers read model is not a projection of orders' events (it is fed by users'), so it stays.
   */
  async rebuild(onProgress?: (orders: number) => void): Promise<RebuildResult> {
    const started = performance.now();
    let orders = 0;
    let events = 0;
    await this.db.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`TRUNCATE order_list, order_details`;
        let lastOrderId = '00000000-0000-0000-0000-000000000000';
        for (;;) {
          const rows = await tx.$queryRaw<Array<{ order_id: string; type: string; data: unknown; version: number; occurred_at: Date }>>`
            WITH batch AS (
              SELECT DISTINCT order_id FROM order_events WHERE order_id > ${lastOrderId}::uuid ORDER BY order_id LIMIT ${REBUILD_BATCH_ORDERS}
            )
            SELECT e.order_id, e.type, e.data, e.version, e.occurred_at FROM order_events e JOIN batch USING (order_id)
            ORDER BY e.order_id, e.version`;
          if (rows.length === 0) break;
          const states: OrderState[] = [];
          let current: OrderState | null = null;
          let currentId: string | null = null;
          for (const row of rows) {
            if (row.order_id !== currentId) {
              if (current) states.push(current);
              current = null;
              currentId = row.order_id;
            }
            current = evolve(current, { type: row.type, data: row.data, version: row.version, occurredAt: row.occurred_at } as never);
          }
          if (current) states.push(current);
          await writeProjections(tx, ...states);
          orders += states.length;
          events += rows.length;
          lastOrderId = currentId!;
          onProgress?.(orders);
        }
      },
      { timeout: 30 * 60_000, maxWait: 10_000 },
    );
    return { orders, events, ms: Math.round(performance.now() - started) };
  }
}

function toSummary(row: ListRow): OrderSummary {
  return {
    orderId: row.order_id,
    userId: row.user_id,
    status: row.status,
    totalCents: Number(row.total_cents),
    currency: row.currency,
    itemCount: row.item_count,
    placedAt: row.placed_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function page<R extends ListRow, T>(rows: R[], limit: number, map: (row: R) => T): { orders: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return { orders: shown.map(map), nextCursor: more && last ? encodeCursor(last.placed_at, last.order_id) : null };
}

/** Opaque to clients: the position (placed_at, order_id) of the last order shown. */
function encodeCursor(placedAt: Date, orderId: string): string {
  return Buffer.from(`${placedAt.getTime()}.${orderId}`).toString('base64url');
}

function decodeCursor(cursor: string): { placedAt: string; orderId: string } {
  const [ms, orderId] = Buffer.from(cursor, 'base64url').toString().split('.');
  if (!ms || !/^\d{1,15}$/.test(ms) || !orderId || !/^[0-9a-f-]{36}$/.test(orderId)) throw new InvalidCursor();
  return { placedAt: new Date(Number(ms)).toISOString(), orderId };
}
