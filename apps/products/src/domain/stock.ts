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
