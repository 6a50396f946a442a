import { ErrorCode } from '@polystore/contracts';
import { DomainError } from '@polystore/platform';

// orders' refusals, thrown where the rule is checked (domain/, store/); callers get their codes.

/** No such order, or not the caller's (the two are not told apart). */
export class OrderNotFound extends DomainError {
  constructor(orderId: string) {
    super(ErrorCode.NotFound, 'order not found', { orderId });
  }
}

/** A second cancellation request: the first one is under way or done. */
export class OrderAlreadyCancelling extends DomainError {
  constructor(orderId: string, status: string, requestedAt: string | null) {
    super(ErrorCode.Conflict, status === 'cancelled' ? 'the order is already cancelled' : 'a cancellation of this order is already under way', {
      orderId,
      status,
      requestedAt,
    });
  }
}

/** Too late to cancel. */
export class CancellationWindowClosed extends DomainError {
  constructor(orderId: string, closedAt: string, windowMs: number) {
    super(ErrorCode.Unprocessable, `the cancellation window (${Math.round(windowMs / 60_000)} minutes after the order) closed at ${closedAt}`, {
      orderId,
      closedAt,
      windowSeconds: Math.round(windowMs / 1000),
    });
  }
}

/** Another writer appended to the order since it was read (optimistic concurrency). */
export class OrderVersionConflict extends DomainError {
  constructor(orderId: string, expectedVersion: number) {
    super(ErrorCode.Conflict, 'the order changed while it was being updated; try again', { orderId, expectedVersion });
  }
}

/** A page cursor this service did not hand out. */
export class InvalidCursor extends DomainError {
  constructor() {
    super(ErrorCode.ValidationFailed, 'cursor must be a cursor returned by a previous page', [
      { field: 'cursor', problems: ['not a cursor returned by a previous page'] },
    ]);
  }
}
