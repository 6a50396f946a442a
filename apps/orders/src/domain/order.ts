import type {
  OrderCancellationRequestedV1,
  OrderCancelledV1,
  OrderLineV1,
  OrderPlacedV1,
  OrderRefundRefusedV1,
  OrderRefundedV1,
  OrderRestockedV1,
  OrderStatusName,
} from '@polystore/contracts';
import { CancellationWindowClosed, OrderAlreadyCancelling } from './errors.js';

/** An order's own events, as stored in its stream (type + payload; the store adds version, id and time). */
export type OrderEvent =
  | { type: 'OrderPlaced'; data: OrderPlacedV1 }
  | { type: 'OrderCancellationRequested'; data: OrderCancellationRequestedV1 }
  | { type: 'OrderRefunded'; data: OrderRefundedV1 }
  | { type: 'OrderRefundRefused'; data: OrderRefundRefusedV1 }
  | { type: 'OrderRestocked'; data: OrderRestockedV1 }
  | { type: 'OrderCancelled'; data: OrderCancelledV1 };

export type OrderEventType = OrderEvent['type'];
export const ORDER_EVENT_TYPES: readonly OrderEventType[] = [
  'OrderPlaced',
  'OrderCancellationRequested',
  'OrderRefunded',
  'OrderRefundRefused',
  'OrderRestocked',
  'OrderCancelled',
];

/** An event as read back from the store. */
export type StoredOrderEvent = OrderEvent & { version: number; occurredAt: Date };

/** placed → cancelling (refund and restock awaited) → cancelled. */
export type OrderStatus = OrderStatusName;

export interface Cancellation {
  requestedAt: string;
  /** users' part: pending until its answer, refused with a reason, or refunded. */
  refund: 'pending' | 'refunded' | 'refused';
  refundReason: string | null;
  /** products' part: pending until the stock is back. */
  restock: 'pending' | 'returned';
  cancelledAt: string | null;
}

export interface TimelineEntry {
  /** The event that moved the order. */
  event: OrderEventType;
  status: OrderStatus;
  at: string;
  note: string | null;
}

/** An order's state: the fold of its events. Projections are functions of it. */
export interface OrderState {
  orderId: string;
  userId: string;
  checkoutId: string;
  lines: OrderLineV1[];
  totalCents: number;
  currency: string;
  placedAt: string;
  status: OrderStatus;
  cancellation: Cancellation | null;
  timeline: TimelineEntry[];
  /** The version of the last event folded in (0: no order). */
  version: number;
  updatedAt: string;
}

/** Applies one event to the state (null before OrderPlaced). Pure: the same events always give the same state. */
export function evolve(state: OrderState | null, event: StoredOrderEvent): OrderState {
  const at = event.occurredAt.toISOString();
  if (event.type === 'OrderPlaced') {
    const d = event.data;
    return {
      orderId: d.orderId,
      userId: d.userId,
      checkoutId: d.checkoutId,
      lines: d.lines,
      totalCents: d.totalCents,
      currency: d.currency,
      placedAt: d.placedAt,
      status: 'placed',
      cancellation: null,
      timeline: [{ event: 'OrderPlaced', status: 'placed', at: d.placedAt, note: null }],
      version: event.version,
      updatedAt: d.placedAt,
    };
  }
  if (!state) throw new Error(`${event.type} (version ${event.version}) before OrderPlaced`);
  const next: OrderState = { ...state, version: event.version, updatedAt: at };
  const cancellation = state.cancellation;
  let note: string | null = null;
  switch (event.type) {
    case 'OrderCancellationRequested':
      next.status = 'cancelling';
      next.cancellation = { requestedAt: event.data.requestedAt, refund: 'pending', refundReason: null, restock: 'pending', cancelledAt: null };
      break;
    case 'OrderRefunded':
      next.cancellation = { ...cancellation!, refund: 'refunded', refundReason: null };
      note = `${event.data.amountCents} ${event.data.currency} back in the wallet`;
      break;
    case 'OrderRefundRefused':
      next.cancellation = { ...cancellation!, refund: 'refused', refundReason: event.data.reason };
      note = `${event.data.reasonCode}: ${event.data.reason}`;
      break;
    case 'OrderRestocked':
      next.cancellation = { ...cancellation!, restock: 'returned' };
      break;
    case 'OrderCancelled':
      next.status = 'cancelled';
      next.cancellation = { ...cancellation!, cancelledAt: event.data.cancelledAt };
      break;
  }
  next.timeline = [...state.timeline, { event: event.type, status: next.status, at, note }];
  return next;
}

export function fold(events: StoredOrderEvent[]): OrderState | null {
  let state: OrderState | null = null;
  for (const event of events) state = evolve(state, event);
  return state;
}

/** The order a checkout becomes: lines, prices and names as they were at purchase. */
export function placeOrder(orderId: string, checkout: Omit<OrderPlacedV1, 'orderId' | 'placedAt'> & { completedAt: string }): OrderEvent[] {
  const { completedAt, ...rest } = checkout;
  return [{ type: 'OrderPlaced', data: { orderId, ...rest, placedAt: completedAt } }];
}

/**
 * The user asks to cancel: allowed once, while the order is only placed, and within `windowMs` of
 * placing it. Refusals: a second request → CONFLICT; too late → UNPROCESSABLE (each with a reason).
 */
export function requestCancellation(state: OrderState, now: Date, windowMs: number): OrderEvent[] {
  if (state.status !== 'placed') throw new OrderAlreadyCancelling(state.orderId, state.status, state.cancellation?.requestedAt ?? null);
  const closesAt = new Date(Date.parse(state.placedAt) + windowMs);
  if (now.getTime() > closesAt.getTime()) throw new CancellationWindowClosed(state.orderId, closesAt.toISOString(), windowMs);
  return [
    {
      type: 'OrderCancellationRequested',
      data: {
        orderId: state.orderId,
        checkoutId: state.checkoutId,
        userId: state.userId,
        lines: state.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
        totalCents: state.totalCents,
        currency: state.currency,
        requestedAt: now.toISOString(),
      },
    },
  ];
}

/**
 * users' answer arrived. A refund is recorded once (a repeat changes nothing); a refusal is
 * recorded while no refund is (users may still refund later, e.g. after an operator's fix).
 * Completes the cancellation when the stock is already back.
 */
export function recordRefund(
  state: OrderState,
  answer: { refunded: true; amountCents: number; at: string } | { refunded: false; reasonCode: string; reason: string },
  now: Date,
): OrderEvent[] {
  const c = state.cancellation;
  if (!c || state.status === 'cancelled' || c.refund === 'refunded') return [];
  if (!answer.refunded) {
    if (c.refund === 'refused') return [];
    return [
      { type: 'OrderRefundRefused', data: { orderId: state.orderId, userId: state.userId, reasonCode: answer.reasonCode, reason: answer.reason } },
    ];
  }
  const refunded: OrderEvent = {
    type: 'OrderRefunded',
    data: { orderId: state.orderId, userId: state.userId, amountCents: answer.amountCents, currency: state.currency, refundedAt: answer.at },
  };
  return c.restock === 'returned' ? [refunded, cancelled(state, now)] : [refunded];
}

/** products' answer arrived: recorded once; completes the cancellation when the refund is already in. */
export function recordRestock(state: OrderState, at: string, now: Date): OrderEvent[] {
  const c = state.cancellation;
  if (!c || state.status === 'cancelled' || c.restock === 'returned') return [];
  const restocked: OrderEvent = { type: 'OrderRestocked', data: { orderId: state.orderId, userId: state.userId, restockedAt: at } };
  return c.refund === 'refunded' ? [restocked, cancelled(state, now)] : [restocked];
}

function cancelled(state: OrderState, now: Date): OrderEvent {
  return {
    type: 'OrderCancelled',
    data: { orderId: state.orderId, userId: state.userId, totalCents: state.totalCents, currency: state.currency, cancelledAt: now.toISOString() },
  };
}

/** Units in the order (all lines). */
export const itemCount = (state: OrderState): number => state.lines.reduce((sum, line) => sum + line.quantity, 0);
