import type { UserErasedV1 } from '../erasure/events.js';

/** Event types cart emits, with their schema version. */
export const CartEvents = {
  CartItemAdded: { type: 'CartItemAdded', version: 1 },
  CheckoutCompleted: { type: 'CheckoutCompleted', version: 1 },
  CheckoutFailed: { type: 'CheckoutFailed', version: 1 },
  /** The answer to an erasure: the shared contract of libs/contracts/src/erasure (declared again here, equal to it). */
  UserErased: { type: 'UserErased', version: 1 },
} as const;

/** What each cart event carries, by type (at the version above). */
export interface CartEventData {
  [CartEvents.CartItemAdded.type]: CartItemAddedV1;
  [CartEvents.CheckoutCompleted.type]: CheckoutCompletedV1;
  [CartEvents.CheckoutFailed.type]: CheckoutFailedV1;
  [CartEvents.UserErased.type]: UserErasedV1;
}

/** A product was put into a cart (or its line grew): the "added to cart" step of a funnel. */
export interface CartItemAddedV1 {
  userId: string;
  productId: string;
  /** Units added by this action. */
  quantity: number;
  /** The line's quantity afterwards. */
  lineQuantity: number;
  unitPriceCents: number;
  currency: string;
}

export interface CheckoutLineV1 {
  productId: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface CheckoutCompletedV1 {
  checkoutId: string;
  userId: string;
  lines: CheckoutLineV1[];
  totalCents: number;
  currency: string;
  completedAt: string;
}

/** Why a checkout failed: an ErrorCode (OUT_OF_STOCK, INSUFFICIENT_FUNDS, PRICE_CHANGED, ...). */
export interface CheckoutFailedV1 {
  checkoutId: string;
  userId: string;
  reasonCode: string;
  reason: string;
  lines: CheckoutLineV1[];
  totalCents: number;
  currency: string;
  failedAt: string;
}
