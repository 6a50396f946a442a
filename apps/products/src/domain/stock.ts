import type { HeldReservation, ProductRecord } from './product.js';

/** Units free to reserve: on hand minus holds that have not expired. */
export function availableAt(record: ProductRecord, now: string): number {
  const held = record.reservations.filter((r) => r.expiresAt > now).reduce((sum, r) => sum + r.quantity, 0);
  return record.stockOnHand - held;
}

export type HoldOutcome = { kind: 'held'; next: ProductRecord } | { kind: 'already-held' } | { kind: 'out-of-stock'; available: number };

/** Adds a hold (idempotent by reservation id); expired holds are dropped on the way. */
export function hold(record: ProductRecord, reservation: HeldReservation, now: string): HoldOutcome {
  if (record.reservations.some((r) => r.id === reservation.id)) return { kind: 'already-held' };
  const available = availableAt(record, now);
  if (available < reservation.quantity) return { kind: 'out-of-stock', available: Math.max(0, available) };
  const kept = record.reservations.filter((r) => r.expiresAt > now);
  return { kind: 'held', next: { ...record, reservations: [...kept, reservation], version: record.version + 1, updatedAt: now } };
}

/** Drops a hold; null when there is none (already released, committed or expired away). */
export function release(record: ProductRecord, reservationId: string, now: string): ProductRecord | null {
  if (!record.reservations.some((r) => r.id === reservationId)) return null;
  return { ...record, reservations: record.reservations.filter((r) => r.id !== reservationId), version: record.version + 1, updatedAt: now };
}

/** Turns a hold into a sale: stock on hand goes down by the held quantity, in the same write. */
export function commit(record: ProductRecord, reservationId: string, now: string): ProductRecord | null {
  const held = record.reservations.find((r) => r.id === reservationId);
  if (!held) return null;
  return {
    ...record,
    stockOnHand: record.stockOnHand - held.quantity,
    reservations: record.reservations.filter((r) => r.id !== reservationId),
    version: record.version + 1,
    updatedAt: now,
  };
}

/**
 * How long a product remembers an order's stock return. Far longer than an order's return can stay
 * half-done (its handler retries within seconds, a products outage within hours), so a repeat
 * always finds the mark; older marks are dropped when the next return is written.
 */
export const STOCK_RETURN_MARK_KEPT_MS = 7 * 24 * 3600_000;

/** Puts an order's units back on hand; null when this order's return was already applied here. */
export function returnUnits(record: ProductRecord, orderId: string, quantity: number, now: string): ProductRecord | null {
  const marks = record.stockReturns ?? [];
  if (marks.some((m) => m.id === orderId)) return null;
  const keptSince = new Date(Date.parse(now) - STOCK_RETURN_MARK_KEPT_MS).toISOString();
  return {
    ...record,
    stockOnHand: record.stockOnHand + quantity,
    stockReturns: [...marks.filter((m) => m.at > keptSince), { id: orderId, quantity, at: now }],
    version: record.version + 1,
    updatedAt: now,
  };
}

/**
 * What a cancelled order gives back: its lines, each capped at what its checkout's reservation
 * committed (products never takes back more than it sold); nothing when no committed reservation
 * exists for the checkout (nothing was taken from stock for it).
 */
export function unitsToReturn(
  requested: Array<{ productId: string; quantity: number }>,
  committed: Array<{ productId: string; quantity: number }> | null,
): Array<{ productId: string; quantity: number }> {
  if (!committed) return [];
  const sold = new Map<string, number>();
  for (const line of committed) sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);
  const wanted = new Map<string, number>();
  for (const line of requested) wanted.set(line.productId, (wanted.get(line.productId) ?? 0) + line.quantity);
  return [...wanted]
    .map(([productId, quantity]) => ({ productId, quantity: Math.min(quantity, sold.get(productId) ?? 0) }))
    .filter((line) => line.quantity > 0);
}
