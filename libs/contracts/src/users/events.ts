import type { UserRole, WalletEntryKind } from './replies.js';

/** Event types users emits, with their schema version. */
export const UsersEvents = {
  UserRegistered: { type: 'UserRegistered', version: 1 },
  UserProfileUpdated: { type: 'UserProfileUpdated', version: 1 },
  WalletCredited: { type: 'WalletCredited', version: 1 },
  WalletDebited: { type: 'WalletDebited', version: 1 },
  OrderPaymentRefunded: { type: 'OrderPaymentRefunded', version: 1 },
  OrderPaymentRefundDeclined: { type: 'OrderPaymentRefundDeclined', version: 1 },
  UserErasureRequested: { type: 'UserErasureRequested', version: 1 },
} as const;

/** What each users event carries, by type (at the version above). */
export interface UsersEventData {
  [UsersEvents.UserRegistered.type]: UserRegisteredV1;
  [UsersEvents.UserProfileUpdated.type]: UserProfileUpdatedV1;
  [UsersEvents.WalletCredited.type]: WalletCreditedV1;
  [UsersEvents.WalletDebited.type]: WalletDebitedV1;
  [UsersEvents.OrderPaymentRefunded.type]: OrderPaymentRefundedV1;
  [UsersEvents.OrderPaymentRefundDeclined.type]: OrderPaymentRefundDeclinedV1;
  [UsersEvents.UserErasureRequested.type]: UserErasureRequestedV1;
}

export interface UserRegisteredV1 {
  userId: string;
  email: string;
  name: string;
  role: UserRole;
}

export interface UserProfileUpdatedV1 {
  userId: string;
  name: string;
  email: string;
  changed: Array<'name' | 'email'>;
}

/** A credit or a refund (kind tells which): money into the wallet. */
export interface WalletCreditedV1 {
  userId: string;
  entryId: string;
  kind: Extract<WalletEntryKind, 'credit' | 'refund'>;
  amountCents: number;
  balanceCents: number;
  idempotencyKey: string;
  refundOf?: string;
}

export interface WalletDebitedV1 {
  userId: string;
  entryId: string;
  amountCents: number;
  balanceCents: number;
  idempotencyKey: string;
}

/** users' answer to orders' OrderCancellationRequested: the order's debit came back (once per order). */
export interface OrderPaymentRefundedV1 {
  orderId: string;
  userId: string;
  /** The wallet entry of the refund (kind 'refund'). */
  entryId: string;
  amountCents: number;
  balanceCents: number;
}

/**
 * Why users declines an order's refund (OrderPaymentRefundDeclined.reasonCode):
 * - DEBIT_NOT_FOUND: the wallet has no debit under the checkout's key;
 * - ALREADY_REFUNDED: the debit was refunded in full by something else (nothing left to give back);
 * - REFUND_EXCEEDS_DEBIT: the order's total is more than what is left of the debit (never refunds more);
 * - CURRENCY_MISMATCH: the order is in another currency than the wallet;
 * - WALLET_NOT_FOUND: the user has no wallet (e.g. erased).
 */
export const ORDER_REFUND_DECLINE_CODES = [
  'DEBIT_NOT_FOUND',
  'ALREADY_REFUNDED',
  'REFUND_EXCEEDS_DEBIT',
  'CURRENCY_MISMATCH',
  'WALLET_NOT_FOUND',
] as const;
export type OrderRefundDeclineCode = (typeof ORDER_REFUND_DECLINE_CODES)[number];

/** The wallet key of an order's refund: one refund per order, whatever asks for it. */
export const orderRefundKey = (orderId: string): string => `order:${orderId}:refund`;

/** users' answer when it cannot refund the order (e.g. no such debit): orders shows the reason. */
export interface OrderPaymentRefundDeclinedV1 {
  orderId: string;
  userId: string;
  reasonCode: OrderRefundDeclineCode;
  reason: string;
}

/**
 * Erase what you hold about this user, then answer `UserErased.v1` (libs/contracts/src/erasure).
 * Published again, with a higher `attempt`, to the services that have not answered by their
 * deadline; a service not in `services` ignores it (it has answered already).
 */
export interface UserErasureRequestedV1 {
  erasureId: string;
  userId: string;
  /** The participants asked this time. */
  services: string[];
  attempt: number;
}
