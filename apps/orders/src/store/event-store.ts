import { Inject, Injectable, Optional } from '@nestjs/common';
import { OrdersEvents, type EventEnvelope, type OrdersEventData } from '@polystore/contracts';
import { AppMetrics, newEvent, timeStoreCalls, writeToOutbox } from '@polystore/platform';
import { OrderVersionConflict } from '../domain/errors.js';
import { evolve, fold, type OrderEvent, type OrderState, type StoredOrderEvent } from '../domain/order.js';
import { OrdersDatabase } from './orders-database.js';
import { isUniqueViolation, type PrismaClient, type Tx } from './prisma.js';
import { writeProjections } from './projections.js';

/** What a decision is given: the order as its events make it (null: no such order yet). */
export type Decide = (state: OrderState | null) => OrderEvent[];

/** Attempts of a command when another writer appended to the same order meanwhile. */
const CONFLICT_ATTEMPTS = 5;

/**
 * The event store: an order's state is the fold of its own events in order_events. A command
 * reads the stream, decides, and appends at the next versions; (order_id, version) is unique, so
 * of two writers that read the same version one fails (OrderVersionConflict) and runs again on the
 * fresh stream. The same transaction writes the events' outbox rows and the projections.
 */
@Injectable()
export class OrderEventStore {
  constructor(
    @Inject(OrdersDatabase) private readonly db: OrdersDatabase,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'order-events', metrics);
  }

  async load(orderId: string, client: Tx | PrismaClient = this.db.prisma): Promise<StoredOrderEvent[]> {
    const rows = await client.$queryRaw<Array<{ type: string; data: unknown; version: number; occurred_at: Date }>>`
      SELECT type, data, version, occurred_at FROM order_events WHERE order_id = ${orderId}::uuid ORDER BY version`;
    return rows.map(toStoredEvent);
  }

  /** Runs `decide` on the order and appends what it returns, in its own transaction (retried on a version conflict). */
  async execute(orderId: string, decide: Decide): Promise<OrderState | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.prisma.$transaction((tx) => this.executeIn(tx, orderId, decide));
      } catch (error) {
        if (!(error instanceof OrderVersionConflict) || attempt >= CONFLICT_ATTEMPTS) throw error;
      }
    }
  }

  /** The same inside the caller's transaction (a consumer's, with its inbox row); a conflict is the caller's to retry. */
  async executeIn(tx: Tx, orderId: string, decide: Decide): Promise<OrderState | null> {
    const state = fold(await this.load(orderId, tx));
    const decided = decide(state);
    if (decided.length === 0) return state;
    return this.append(tx, orderId, state?.version ?? 0, state, decided);
  }

  /** Appends `events` after `expectedVersion`, with their outbox rows and the projections. */
  private async append(tx: Tx, orderId: string, expectedVersion: number, state: OrderState | null, events: OrderEvent[]): Promise<OrderState> {
    let next = state;
    let version = expectedVersion;
    for (const event of events) {
      version += 1;
      const envelope = toEnvelope(event);
      try {
        await tx.$executeRaw`
          INSERT INTO order_events (order_id, version, event_id, type, data, occurred_at)
          VALUES (${orderId}::uuid, ${version}, ${envelope.id}::uuid, ${event.type}, ${JSON.stringify(event.data)}::jsonb, ${envelope.occurredAt}::timestamptz)`;
      } catch (error) {
        if (isUniqueViolation(error, 'order_id')) throw new OrderVersionConflict(orderId, expectedVersion);
        throw error;
      }
      await writeToOutbox(tx, envelope);
      next = evolve(next, { ...event, version, occurredAt: new Date(envelope.occurredAt) } as StoredOrderEvent);
    }
    await writeProjections(tx, next!);
    return next!;
  }
}

function toEnvelope(event: OrderEvent): EventEnvelope<OrdersEventData[OrderEvent['type']]> {
  return newEvent('orders', OrdersEvents[event.type], event.data);
}

export function toStoredEvent(row: { type: string; data: unknown; version: number; occurred_at: Date }): StoredOrderEvent {
  return { type: row.type, data: row.data, version: row.version, occurredAt: row.occurred_at } as StoredOrderEvent;
}
