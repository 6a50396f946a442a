import { Inject, Injectable } from '@nestjs/common';
import type { UserErasure, UserEraser } from '@polystore/platform';
import { CheckoutsStore } from '../store/checkouts.store.js';

/**
 * cart's part in erasing a user: the cart, the checkouts and their idempotency keys are deleted
 * (cart keeps nothing about a user that others would need; the money moved is in users' ledger,
 * the sale in analytics). Product snapshots name no one. A checkout still running makes the
 * erasure fail for now; the request is delivered again and succeeds once the saga has ended.
 */
@Injectable()
export class CartUserData implements UserEraser {
  constructor(@Inject(CheckoutsStore) private readonly checkouts: CheckoutsStore) {}

  erase({ userId }: UserErasure): Promise<Record<string, number>> {
    return this.checkouts.eraseUser(userId);
  }
}
