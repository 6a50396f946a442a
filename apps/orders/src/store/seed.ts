import { randomUUID } from 'node:crypto';
import {
  evolve,
  placeOrder,
  recordRefund,
  recordRestock,
  requestCancellation,
  type OrderEvent,
  type OrderState,
  type StoredOrderEvent,
} from '../domain/order.js';
import type { OrdersDatabase } from './orders-database.js';

/** Events per INSERT statement. */
const SEED_BATCH_EVENTS = 5_000;

/**
 * Appends about `events` synthetic order events straight into the event store (no outbox, no
 * projections: what `npm run orders:rebuild` is then timed on). Every fourth order is cancelled
 * (five events), the others are only placed, so the histories are those the service writes.
 */
export async function seedOrderEvents(db: OrdersDatabase, events: number, customers = 1_000): Promise<{ orders: number; events: number }> {
  const customerIds = Array.from({ length: customers }, () => randomUUID());
  const start = Date.now() - 30 * 86_400_000;
  let written = 0;
  let orders = 0;
  let batch: Array<{ order_id: string; version: number; event_id: string; type: string; data: unknown; occurred_at: string }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await db.prisma.$executeRaw`
      INSERT INTO order_events (order_id, version, event_id, type, data, occurred_at)
      SELECT order_id, version, event_id, type, data, occurred_at
      FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS x(order_id uuid, version int, event_id uuid, type text, data jsonb, occurred_at timestamptz)`;
    batch = [];
  };
  while (written < events) {
    const orderId = randomUUID();
    const placedAt = new Date(start + ((orders * 7919) % (30 * 86_400_000)));
    const later = (minutes: number) => new Date(placedAt.getTime() + minutes * 60_000);
    const history: OrderEvent[] = placeOrder(orderId, {
      checkoutId: randomUUID(),
      userId: customerIds[orders % customers]!,
      lines: [
        {
          productId: randomUUID(),
          name: `Product ${orders % 997}`,
          quantity: 1 + (orders % 3),
          unitPriceCents: 1500,
          lineTotalCents: 1500 * (1 + (orders % 3)),
        },
      ],
      totalCents: 1500 * (1 + (orders % 3)),
      currency: 'EUR',
      completedAt: placedAt.toISOString(),
    });
    let state: OrderState | null = null;
    const apply = (next: OrderEvent[], at: Date) => {
      for (const event of next) {
        const stored = { ...event, version: (state?.version ?? 0) + 1, occurredAt: at } as StoredOrderEvent;
        state = evolve(state, stored);
        batch.push({
          order_id: orderId,
          version: stored.version,
          event_id: randomUUID(),
          type: event.type,
          data: event.data,
          occurred_at: at.toISOString(),
        });
      }
    };
    apply(history, placedAt);
    if (orders % 4 === 0) {
      apply(requestCancellation(state!, later(5), 86_400_000), later(5));
      apply(recordRestock(state!, later(6).toISOString(), later(6)), later(6));
      apply(
        recordRefund(state!, { refunded: true, amountCents: (state as OrderState | null)!.totalCents, at: later(7).toISOString() }, later(7)),
        later(7),
      );
    }
    written += (state as OrderState | null)!.version;
    orders += 1;
    if (batch.length >= SEED_BATCH_EVENTS) await flush();
  }
  await flush();
  return { orders, events: written };
}
