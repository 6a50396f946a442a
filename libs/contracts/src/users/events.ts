import type { UserRole, WalletEntryKind } from './replies.js';

/** Event types users emits, with their schema version. */
export const UsersEvents = {
  UserRegistered: { type: 'UserRegistered', version: 1 },
  UserProfileUpdated: { type: 'UserProfileUpdated', version: 1 },
  WalletCredited: { type: 'WalletCredited', version: 1 },
  WalletDebited: { type: 'WalletDebited', version: 1 },
  UserErasureRequested: { type: 'UserErasureRequested', version: 1 },
} as const;

/** What each users event carries, by type (at the version above). */
export interface UsersEventData {
  [UsersEvents.UserRegistered.type]: UserRegisteredV1;
  [UsersEvents.UserProfileUpdated.type]: UserProfileUpdatedV1;
  [UsersEvents.WalletCredited.type]: WalletCreditedV1;
  [UsersEvents.WalletDebited.type]: WalletDebitedV1;
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
