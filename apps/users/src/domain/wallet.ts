import type { WalletEntryKind } from '@polystore/contracts';

/** What a wallet movement asked for; a retry with the same key must ask for the same thing. */
export interface MovementIntent {
  kind: WalletEntryKind;
  amountCents: number;
  refundOf?: string | null;
}

export function sameIntent(existing: MovementIntent, requested: MovementIntent): boolean {
  return (
    existing.kind === requested.kind &&
    existing.amountCents === requested.amountCents &&
    (requested.refundOf === undefined || (existing.refundOf ?? null) === (requested.refundOf ?? null))
  );
}

/** How much of a debit can still be refunded. */
export function refundableCents(debitCents: number, alreadyRefundedCents: number): number {
  return Math.max(0, debitCents - alreadyRefundedCents);
}

export type RefundDecision = { ok: true; amountCents: number } | { ok: false; reason: 'nothing-left' | 'over-refund'; refundableCents: number };

/** A refund defaults to what is left of the debit and may never exceed it. */
export function decideRefund(debitCents: number, alreadyRefundedCents: number, requestedCents?: number): RefundDecision {
  const left = refundableCents(debitCents, alreadyRefundedCents);
  if (left === 0) return { ok: false, reason: 'nothing-left', refundableCents: 0 };
  const amount = requestedCents ?? left;
  if (amount > left) return { ok: false, reason: 'over-refund', refundableCents: left };
  return { ok: true, amountCents: amount };
}
