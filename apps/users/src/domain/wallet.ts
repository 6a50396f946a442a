import type { OrderRefundDeclineCode, WalletEntryKind } from '@polystore/contracts';

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

/** What users knows when an order's cancellation asks for its money back. */
export interface OrderRefundFacts {
  orderTotalCents: number;
  orderCurrency: string;
  walletCurrency: string;
  /** The checkout's debit, or null when the wallet has none under the checkout's key. */
  debit: { amountCents: number; alreadyRefundedCents: number } | null;
}

export type OrderRefundDecision = { ok: true; amountCents: number } | { ok: false; code: OrderRefundDeclineCode; reason: string };

/**
 * An order's refund gives back the order's total from the checkout's debit, and never more than
 * is left of that debit; anything else is declined with a code orders can show.
 */
export function decideOrderRefund(facts: OrderRefundFacts): OrderRefundDecision {
  if (!facts.debit) return { ok: false, code: 'DEBIT_NOT_FOUND', reason: 'the wallet has no debit for this order’s checkout' };
  if (facts.orderCurrency !== facts.walletCurrency) {
    return { ok: false, code: 'CURRENCY_MISMATCH', reason: `the order is in ${facts.orderCurrency}, the wallet in ${facts.walletCurrency}` };
  }
  const decision = decideRefund(facts.debit.amountCents, facts.debit.alreadyRefundedCents, facts.orderTotalCents);
  if (decision.ok) return decision;
  return decision.reason === 'nothing-left'
    ? { ok: false, code: 'ALREADY_REFUNDED', reason: 'the checkout’s debit was already refunded in full' }
    : {
        ok: false,
        code: 'REFUND_EXCEEDS_DEBIT',
        reason: `the order’s total (${facts.orderTotalCents} cents) is more than what is left of its debit (${decision.refundableCents} cents)`,
      };
}
