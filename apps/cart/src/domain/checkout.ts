import {
  ErrorCode,
  MAX_WALLET_AMOUNT_CENTS,
  checkoutWalletKeys,
  type Cart,
  type Checkout,
  type CheckoutFailure,
  type CheckoutLine,
  type CheckoutStatus,
  type CheckoutStepName,
  type CheckoutStep,
  type ReservedLine,
} from '@polystore/contracts';

/** A checkout as cart keeps it: the public view plus what compensation needs to know. */
export interface CheckoutRecord extends Checkout {
  idempotencyKey: string;
  /** A reservation may exist in products: compensation releases it (releasing an unknown one is harmless). */
  reserved: boolean;
  /** A debit may exist in users: compensation refunds it (by the debit's key, so never twice). */
  debited: boolean;
  /** Bumped by every write; a write expecting another revision is refused (another driver took over). */
  revision: number;
}

/**
 * Steps the saga records only as done: the cart is cleared in the same write that completes the
 * checkout (commit-stock done, clear-cart done, the CheckoutCompleted event), so no "started" is ever written.
 */
export const STEPS_RECORDED_DONE_ONLY: ReadonlySet<CheckoutStepName> = new Set(['clear-cart']);

export const TERMINAL_STATUSES: ReadonlySet<CheckoutStatus> = new Set(['completed', 'failed']);
export const isTerminal = (status: CheckoutStatus): boolean => TERMINAL_STATUSES.has(status);

/** Failures worth retrying: the other side may not have seen the call, or will answer later. */
export function isTransient(code: string): boolean {
  return code === ErrorCode.Unavailable || code === ErrorCode.Timeout || code === ErrorCode.Internal;
}

/** The wallet key of a checkout's debit (its refund is found by it), as the contract names it. */
export const debitKey = checkoutWalletKeys.debit;
export const refundKey = checkoutWalletKeys.refund;

/** Lines to check out from the cart as the user sees it, or why it cannot be checked out. */
export function checkoutLinesOf(cart: Cart): { lines: CheckoutLine[]; currency: string } | { problem: string; field: string } {
  if (cart.lines.length === 0) return { problem: 'the cart is empty', field: 'cart' };
  const unavailable = cart.lines.filter((l) => !l.available);
  if (unavailable.length > 0) {
    return {
      problem: `remove the products no longer sold before checking out: ${unavailable.map((l) => l.productId).join(', ')}`,
      field: 'cart.lines',
    };
  }
  if (cart.currency === null || cart.currency === 'MIXED')
    return { problem: 'a checkout is paid in one currency; the cart mixes currencies', field: 'cart.lines' };
  // One checkout is one debit, and users takes at most MAX_WALLET_AMOUNT_CENTS in one: a bigger
  // cart is refused here, not left to fail in the saga's debit step as invalid input.
  const totalCents = cart.lines.reduce((sum, l) => sum + l.lineTotalCents, 0);
  if (totalCents > MAX_WALLET_AMOUNT_CENTS)
    return {
      problem: `a checkout can take at most ${MAX_WALLET_AMOUNT_CENTS} cents from a wallet; the cart totals ${totalCents}`,
      field: 'cart.totalCents',
    };
  return {
    currency: cart.currency,
    lines: cart.lines.map((l) => ({
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      lineTotalCents: l.lineTotalCents,
    })),
  };
}

/** What differs between the prices shown and the prices products reserved at, or null. */
export function priceDrift(lines: CheckoutLine[], currency: string, reserved: ReservedLine[]): string | null {
  const byId = new Map(reserved.map((l) => [l.productId, l]));
  const changes: string[] = [];
  for (const line of lines) {
    const now = byId.get(line.productId);
    if (!now) changes.push(`${line.name} was not reserved`);
    else if (now.priceCents !== line.unitPriceCents || now.currency !== currency) {
      changes.push(`${line.name}: ${line.unitPriceCents} ${currency} → ${now.priceCents} ${now.currency}`);
    }
  }
  return changes.length ? `prices changed since the cart was shown (${changes.join('; ')})` : null;
}

/** Records a call of `name`: a new step, or one more attempt of the step already under way. */
export function stepStarted(steps: CheckoutStep[], name: CheckoutStepName, now: string, detail?: string): CheckoutStep[] {
  const last = steps.at(-1);
  if (last && last.name === name && last.status === 'started') {
    return [...steps.slice(0, -1), { ...last, attempts: last.attempts + 1, ...(detail ? { detail } : {}) }];
  }
  return [...steps, { name, status: 'started', attempts: 1, startedAt: now }];
}

export function stepFinished(steps: CheckoutStep[], name: CheckoutStepName, status: 'done' | 'failed', now: string, detail?: string): CheckoutStep[] {
  const last = steps.at(-1);
  const finished = { status, finishedAt: now, ...(detail ? { detail } : {}) };
  if (last && last.name === name && last.status === 'started') {
    // A finished step tells how it ended: the error a retry met on the way is not its detail any more.
    const { detail: _lastRetryError, ...started } = last;
    return [...steps.slice(0, -1), { ...started, ...finished }];
  }
  return [...steps, { name, attempts: 0, startedAt: now, ...finished }];
}

/** The failure shown to the user for an error a step ended with. */
export function failureOf(step: CheckoutStepName, code: string, message: string): CheckoutFailure {
  if (code === ErrorCode.OutOfStock || code === ErrorCode.InsufficientFunds || code === ErrorCode.PriceChanged) return { code, message };
  if (isTransient(code)) return { code, message: `${step} could not be done in time: ${message}` };
  if (code === ErrorCode.NotFound) return { code: ErrorCode.Unprocessable, message: `${step}: ${message}` };
  return { code, message: `${step}: ${message}` };
}

export function publicCheckout(record: CheckoutRecord): Checkout {
  const { idempotencyKey: _k, reserved: _r, debited: _d, revision: _v, ...view } = record;
  return view;
}

/**
 * Until when users may make the checkout's debit: some time before the saga's forward deadline, so
 * that once the saga gives up and its refund finds no debit, no debit still queued (users frozen,
 * another instance, a slow network) can take the money afterwards. The margin covers the clocks of
 * cart and users' database disagreeing, and a commit in flight at the deadline.
 */
export function debitNotAfter(createdAt: string, forwardDeadlineMs: number): string {
  const margin = Math.min(5_000, Math.floor(forwardDeadlineMs / 4));
  return new Date(Date.parse(createdAt) + forwardDeadlineMs - margin).toISOString();
}
