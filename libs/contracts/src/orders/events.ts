import type { UserErasedV1 } from '../erasure/events.js';

/**
 * Event types orders emits, with their schema version. They are the order's own history, appended
 * to orders' event store (the source of truth) and published through its outbox.
 */
export const OrdersEvents = {
  OrderPlaced: { type: 'OrderPlaced', version: 1 },
  OrderCancellationRequested: { type: 'OrderCancellationRequested', version: 1 },
  OrderRefunded: { type: 'OrderRefunded', version: 1 },
  OrderRefundRefused: { type: 'OrderRefundRefused', version: 1 },
  OrderRestocked: { type: 'OrderRestocked', version: 1 },
  OrderCancelled: { type: 'OrderCancelled', version: 1 },
  /** orders' answer when it has erased a user (the erasure contract, libs/contracts/src/erasure). */
  UserErased: { type: 'UserErased', version: 1 },
} as const;

/** What each orders event carries, by type (at the version above). */
export interface OrdersEventData {
  [OrdersEvents.OrderPlaced.type]: OrderPlacedV1;
  [OrdersEvents.OrderCancellationRequested.type]: OrderCancellationRequestedV1;
  [OrdersEvents.OrderRefunded.type]: OrderRefundedV1;
  [OrdersEvents.OrderRefundRefused.type]: OrderRefundRefusedV1;
  [OrdersEvents.OrderRestocked.type]: OrderRestockedV1;
  [OrdersEvents.OrderCancelled.type]: OrderCancelledV1;
  [OrdersEvents.UserErased.type]: UserErasedV1;
}

/** A line as it was bought: name and price at the time of purchase. */
export interface OrderLineV1 {
  productId: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

/** An order placed from a completed checkout (one order per checkout id). */
export interface OrderPlacedV1 {
  orderId: string;
  checkoutId: string;
  userId: string;
  lines: OrderLineV1[];
  totalCents: number;
  currency: string;
  placedAt: string;
}

/**
 * The user asked to cancel: users refunds the debit (answering with OrderPaymentRefunded or
 * OrderPaymentRefundDeclined) and products returns the stock (answering with OrderStockReturned). No one
 * coordinates them: each reacts to this event on its own.
 */
export interface OrderCancellationRequestedV1 {
  orderId: string;
  checkoutId: string;
  userId: string;
  lines: Array<{ productId: string; quantity: number }>;
  totalCents: number;
  currency: string;
  requestedAt: string;
}

/** users' refund arrived for the order. */
export interface OrderRefundedV1 {
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  refundedAt: string;
}

/** users refused the refund; the cancellation stays open and says why. */
export interface OrderRefundRefusedV1 {
  orderId: string;
  userId: string;
  reasonCode: string;
  reason: string;
}

/** products' stock return arrived for the order. */
export interface OrderRestockedV1 {
  orderId: string;
  userId: string;
  restockedAt: string;
}

/** Refund and restock both arrived: the order is cancelled. */
export interface OrderCancelledV1 {
  orderId: string;
  userId: string;
  totalCents: number;
  currency: string;
  cancelledAt: string;
}
