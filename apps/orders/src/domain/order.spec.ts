import type { OrderLineV1 } from '@polystore/contracts';
import { CancellationWindowClosed, OrderAlreadyCancelling } from './errors.js';
import {
  fold,
  placeOrder,
  recordRefund,
  recordRestock,
  requestCancellation,
  type OrderEvent,
  type OrderState,
  type StoredOrderEvent,
} from './order.js';

const line: OrderLineV1 = { productId: 'p-1', name: 'Teapot', quantity: 2, unitPriceCents: 1500, lineTotalCents: 3000 };
const placedAt = '2026-11-27T10:00:00.000Z';
const hour = 3600_000;

/** Folds events as the store would: versions 1.., one second apart. */
function stored(events: OrderEvent[]): StoredOrderEvent[] {
  return events.map((e, i) => ({ ...e, version: i + 1, occurredAt: new Date(Date.parse(placedAt) + i * 1000) }) as StoredOrderEvent);
}

function placed(): { events: OrderEvent[]; state: OrderState } {
  const events = placeOrder('o-1', { checkoutId: 'c-1', userId: 'u-1', lines: [line], totalCents: 3000, currency: 'EUR', completedAt: placedAt });
  return { events, state: fold(stored(events))! };
}

describe('an event-sourced order', () => {
  it('is placed with the lines and prices of its checkout', () => {
    const { state } = placed();
    expect(state).toMatchObject({ orderId: 'o-1', status: 'placed', totalCents: 3000, lines: [line], version: 1, cancellation: null });
    expect(state.timeline).toEqual([{ event: 'OrderPlaced', status: 'placed', at: placedAt, note: null }]);
  });

  it('may be cancelled once, within the window: a second request conflicts, a late one is refused', () => {
    const { events, state } = placed();
    const requested = requestCancellation(state, new Date(Date.parse(placedAt) + hour), 2 * hour);
    expect(requested).toMatchObject([{ type: 'OrderCancellationRequested', data: { orderId: 'o-1', lines: [{ productId: 'p-1', quantity: 2 }] } }]);
    const cancelling = fold(stored([...events, ...requested]))!;
    expect(cancelling.status).toBe('cancelling');
    expect(() => requestCancellation(cancelling, new Date(Date.parse(placedAt) + hour), 2 * hour)).toThrow(OrderAlreadyCancelling);
    expect(() => requestCancellation(state, new Date(Date.parse(placedAt) + 3 * hour), 2 * hour)).toThrow(CancellationWindowClosed);
  });

  it('is cancelled when both the refund and the restock are in, in either order, each recorded once', () => {
    const { events, state } = placed();
    const now = new Date(Date.parse(placedAt) + 60_000);
    const history = [...events, ...requestCancellation(state, now, hour)];
    const refund = { refunded: true as const, amountCents: 3000, at: now.toISOString() };

    const refundedFirst = [...history, ...recordRefund(fold(stored(history))!, refund, now)];
    expect(recordRefund(fold(stored(refundedFirst))!, refund, now)).toEqual([]);
    const thenRestocked = recordRestock(fold(stored(refundedFirst))!, now.toISOString(), now);
    expect(thenRestocked.map((e) => e.type)).toEqual(['OrderRestocked', 'OrderCancelled']);

    const restockedFirst = [...history, ...recordRestock(fold(stored(history))!, now.toISOString(), now)];
    expect(recordRestock(fold(stored(restockedFirst))!, now.toISOString(), now)).toEqual([]);
    const thenRefunded = recordRefund(fold(stored(restockedFirst))!, refund, now);
    expect(thenRefunded.map((e) => e.type)).toEqual(['OrderRefunded', 'OrderCancelled']);
    const done = fold(stored([...restockedFirst, ...thenRefunded]))!;
    expect(done).toMatchObject({ status: 'cancelled', cancellation: { refund: 'refunded', restock: 'returned' } });
    expect(done.timeline.map((t) => t.status)).toEqual(['placed', 'cancelling', 'cancelling', 'cancelling', 'cancelled']);
  });

  it('shows a refused refund with its reason and stays cancelling; a later refund still completes it', () => {
    const { events, state } = placed();
    const now = new Date(Date.parse(placedAt) + 60_000);
    const history = [...events, ...requestCancellation(state, now, hour)];
    const refused = [...history, ...recordRefund(fold(stored(history))!, { refunded: false, reasonCode: 'NOT_FOUND', reason: 'no such debit' }, now)];
    const standing = fold(stored(refused))!;
    expect(standing).toMatchObject({ status: 'cancelling', cancellation: { refund: 'refused', refundReason: 'no such debit', restock: 'pending' } });
    const restocked = [...refused, ...recordRestock(standing, now.toISOString(), now)];
    expect(fold(stored(restocked))!.status).toBe('cancelling');
    const refunded = recordRefund(fold(stored(restocked))!, { refunded: true, amountCents: 3000, at: now.toISOString() }, now);
    expect(refunded.map((e) => e.type)).toEqual(['OrderRefunded', 'OrderCancelled']);
  });

  it('ignores answers for an order nobody asked to cancel', () => {
    const { state } = placed();
    expect(recordRestock(state, placedAt, new Date())).toEqual([]);
    expect(recordRefund(state, { refunded: true, amountCents: 1, at: placedAt }, new Date())).toEqual([]);
  });
});
