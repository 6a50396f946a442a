import { ErrorCode, type WalletEntry } from '@polystore/contracts';
import { DomainError } from '@polystore/platform';
import type { RefundDecision } from './wallet.js';

// users' refusals, thrown where the rule is checked (domain/, store/); callers get their codes.

export class EmailTaken extends DomainError {
  constructor() {
    super(ErrorCode.Conflict, 'email is already registered', { field: 'email' });
  }
}

export class UserNotFound extends DomainError {
  constructor(userId: string) {
    super(ErrorCode.NotFound, 'user not found', { userId });
  }
}

export class WalletNotFound extends DomainError {
  constructor(userId: string) {
    super(ErrorCode.NotFound, 'wallet not found', { userId });
  }
}

/** A refund names a debit (by its idempotency key) that this user's wallet does not have. */
export class DebitNotFound extends DomainError {
  constructor(debitIdempotencyKey: string) {
    super(ErrorCode.NotFound, 'debit not found', { debitIdempotencyKey });
  }
}

export class InsufficientFunds extends DomainError {
  constructor(balanceCents: number, requestedCents: number) {
    super(ErrorCode.InsufficientFunds, 'insufficient funds', { field: 'amountCents', balanceCents, requestedCents });
  }
}

/** A debit asked for after its caller's notAfter: the caller has given up on it (and may have found nothing to refund). */
export class DebitTooLate extends DomainError {
  constructor(notAfter: string) {
    super(ErrorCode.Unprocessable, `the debit was asked for until ${notAfter}; that time has passed`, { field: 'notAfter', notAfter });
  }
}

/** A refund of more than what is left of its debit. */
export class RefundRefused extends DomainError {
  constructor(decision: Extract<RefundDecision, { ok: false }>) {
    super(
      ErrorCode.Unprocessable,
      decision.reason === 'nothing-left'
        ? 'this debit is already fully refunded'
        : `at most ${decision.refundableCents} cents of this debit can be refunded`,
      { field: 'amountCents', refundableCents: decision.refundableCents },
    );
  }
}

/** An idempotency key already used for a different movement: a retry must ask for the same thing. */
export class IdempotencyKeyReused extends DomainError {
  constructor(existing: WalletEntry) {
    super(ErrorCode.Conflict, 'idempotencyKey was already used for a different wallet movement', { field: 'idempotencyKey', existing });
  }
}
