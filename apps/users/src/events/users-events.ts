import {
  UsersEvents,
  type EventEnvelope,
  type OrderPaymentRefundDeclinedV1,
  type OrderPaymentRefundedV1,
  type UserProfileUpdatedV1,
  type UserRegisteredV1,
  type WalletCreditedV1,
  type WalletDebitedV1,
  type WalletEntry,
} from '@polystore/contracts';
import { newEvent } from '@polystore/platform';
import type { UserRecord } from '../domain/user.js';
import type { OrderRefundOutcome } from '../store/wallet.store.js';

/** The events users emits; each is written to the outbox with the change it announces. */
export function userRegistered(user: UserRecord): EventEnvelope<UserRegisteredV1> {
  return newEvent('users', UsersEvents.UserRegistered, { userId: user.id, email: user.email, name: user.name, role: user.role });
}

export function userProfileUpdated(before: UserRecord, after: UserRecord): EventEnvelope<UserProfileUpdatedV1> | null {
  const changed: UserProfileUpdatedV1['changed'] = [];
  if (before.name !== after.name) changed.push('name');
  if (before.email !== after.email) changed.push('email');
  if (changed.length === 0) return null;
  return newEvent('users', UsersEvents.UserProfileUpdated, { userId: after.id, name: after.name, email: after.email, changed });
}

export function walletMoved(userId: string) {
  return (entry: WalletEntry, balanceCents: number): EventEnvelope<WalletCreditedV1 | WalletDebitedV1> => {
    if (entry.kind === 'debit') {
      return newEvent('users', UsersEvents.WalletDebited, {
        userId,
        entryId: entry.id,
        amountCents: entry.amountCents,
        balanceCents,
        idempotencyKey: entry.idempotencyKey,
      });
    }
    return newEvent('users', UsersEvents.WalletCredited, {
      userId,
      entryId: entry.id,
      kind: entry.kind,
      amountCents: entry.amountCents,
      balanceCents,
      idempotencyKey: entry.idempotencyKey,
      ...(entry.refundOf ? { refundOf: entry.refundOf } : {}),
    });
  };
}

/**
 * The answer to an order's cancellation: a refund made now announces its ledger entry
 * (WalletCredited, kind refund) and answers orders; one made before only answers again (orders
 * asked again, so it missed the first answer); a decline answers with its code.
 */
export function orderRefundAnswered(orderId: string, userId: string) {
  return (outcome: OrderRefundOutcome): EventEnvelope[] => {
    if (outcome.kind === 'declined') {
      const declined: OrderPaymentRefundDeclinedV1 = { orderId, userId, reasonCode: outcome.code, reason: outcome.reason };
      return [newEvent('users', UsersEvents.OrderPaymentRefundDeclined, declined)];
    }
    const refunded: OrderPaymentRefundedV1 = {
      orderId,
      userId,
      entryId: outcome.entry.id,
      amountCents: outcome.entry.amountCents,
      balanceCents: outcome.balanceCents,
    };
    const answer = newEvent('users', UsersEvents.OrderPaymentRefunded, refunded);
    return outcome.replayed ? [answer] : [walletMoved(userId)(outcome.entry, outcome.balanceCents), answer];
  };
}
