import { ErrorCode } from '@polystore/contracts';
import { DomainError } from '@polystore/platform';

// cart's refusals thrown by the store (most of cart's rules answer with RpcError in api/).

/** A user's checkout is still under way: erasing the user waits until the saga has ended it. */
export class CheckoutStillRunning extends DomainError {
  constructor(checkoutId: string) {
    super(ErrorCode.Conflict, 'a checkout of this user is still running', { checkoutId });
  }
}
