import type { UserRole, WalletEntryKind } from './replies.js';

/** Event types users emits, with their schema version. */
export const UsersEvents = {
  UserRegistered: { type: 'UserRegistered', version: 1 },
  UserProfileUpdated: { type: 'UserProfileUpdated', version: 1 },
  WalletCredited: { type: 'WalletCredited', version: 1 },
  WalletDebited: { type: 'WalletDebited', version: 1 },
  OrderPaymentRefunded: { type: 'OrderPaymentRefunded', version: 1 },
  OrderPaymentRefundDeclined: { type: 'OrderPaymentRefundDeclined', version: 1 },
} as const;

/** What each users event carries, by type (at the version above). */
export interface UsersEventData {
  [UsersEvents.UserRegistered.type]: UserRegisteredV1;
  [UsersEvents.UserProfileUpdated.type]: UserProfileUpdatedV1;
  [UsersEvents.WalletCredited.type]: WalletCreditedV1;
  [UsersEvents.WalletDebited.type]: WalletDebitedV1;
  [UsersEvents.OrderPaymentRefunded.type]: OrderPaymentRefundedV1;
  [UsersEvents.OrderPaymentRefundDeclined.type]: OrderPaymentRefundDeclinedV1;
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

/** users' answer when it cannot refund the order (e.g. no such debit): orders shows the reason. */
export interface OrderPaymentRefundDeclinedV1 {
  orderId: string;
  userId: string;
  reasonCode: string;
  reason: string;
}
