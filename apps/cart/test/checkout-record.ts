import { randomUUID } from 'node:crypto';
import type { CheckoutRecord } from '../src/domain/checkout.js';

/**
 * A checkout record as the saga writes it when it starts: reserving, its first step started, one
 * line of `quantity` × `unitPriceCents`. For tests that put a checkout in cart's Redis directly.
 */
export function reservingCheckout(
  tag: string,
  { userId = randomUUID(), productId = randomUUID(), quantity = 1, unitPriceCents = 500 } = {},
): CheckoutRecord {
  const at = new Date().toISOString();
  const total = quantity * unitPriceCents;
  return {
    checkoutId: randomUUID(),
    userId,
    idempotencyKey: `${tag}-${randomUUID()}`,
    status: 'reserving',
    lines: [{ productId, name: tag, quantity, unitPriceCents, lineTotalCents: total }],
    totalCents: total,
    currency: 'EUR',
    steps: [{ name: 'reserve-stock', status: 'started', attempts: 1, startedAt: at }],
    createdAt: at,
    updatedAt: at,
    reserved: true,
    debited: false,
    revision: 1,
  };
}
