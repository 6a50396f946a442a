import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type CheckoutRequest } from '@polystore/contracts';
import { RpcError, annotateActiveSpan } from '@polystore/platform';
import { v7 as uuidv7 } from 'uuid';
import { CART_CONFIG, type CartConfig } from '../config.js';
import { checkoutLinesOf, isTerminal, stepStarted, type CheckoutRecord } from '../domain/checkout.js';
import { CheckoutsStore } from '../store/checkouts.store.js';
import { CartService } from './cart.service.js';
import { CheckoutSaga } from './checkout-saga.js';

/** Starts checkouts (once per idempotency key) and answers where they are. */
@Injectable()
export class CheckoutService {
  constructor(
    @Inject(CheckoutsStore) private readonly store: CheckoutsStore,
    @Inject(CheckoutSaga) private readonly saga: CheckoutSaga,
    @Inject(CartService) private readonly carts: CartService,
    @Inject(CART_CONFIG) private readonly config: CartConfig,
  ) {}

  /** The checkout of this key: started now from the cart as it is, or the one the key already started. */
  async checkout(request: CheckoutRequest): Promise<CheckoutRecord> {
    // Both reads at once: a key seen before is the usual retry, a new one the usual checkout.
    const [known, cart] = await Promise.all([this.store.idByIdempotencyKey(request.userId, request.idempotencyKey), this.carts.get(request.userId)]);
    if (known) return this.settled(known);

    const picked = checkoutLinesOf(cart);
    if ('problem' in picked) throw new RpcError(ErrorCode.Unprocessable, picked.problem, { field: picked.field });
    const totalCents = picked.lines.reduce((sum, l) => sum + l.lineTotalCents, 0);
    const shownOtherTotal = request.expectedTotalCents !== undefined && request.expectedTotalCents !== totalCents;
    const at = new Date().toISOString();
    const record: CheckoutRecord = {
      checkoutId: uuidv7(),
      userId: request.userId,
      idempotencyKey: request.idempotencyKey,
      // A total other than the one shown fails at once, through compensation (nothing to undo) to CheckoutFailed.
      status: shownOtherTotal ? 'compensating' : 'reserving',
      lines: picked.lines,
      totalCents,
      currency: picked.currency,
      // The reservation is recorded as started in the record's first write, so the saga calls products at once.
      steps: shownOtherTotal ? [] : stepStarted([], 'reserve-stock', at),
      ...(shownOtherTotal
        ? {
            failure: {
              code: ErrorCode.PriceChanged,
              message: `the cart now costs ${totalCents} ${picked.currency}, not the ${request.expectedTotalCents} shown`,
            },
          }
        : {}),
      createdAt: at,
      updatedAt: at,
      reserved: !shownOtherTotal,
      debited: false,
      revision: 1,
    };
    const created = await this.store.create(record, this.saga.owner);
    if ('busyWith' in created) {
      throw RpcError.conflict('another checkout of this cart is still running; retry when it has finished', { checkoutId: created.busyWith });
    }
    if (created.holder !== record.checkoutId) return this.settled(created.holder); // the same key, at the same moment
    // `npm run trace -- <checkout id>` finds the checkout's trace by this attribute.
    annotateActiveSpan({ 'polystore.checkout_id': record.checkoutId });
    this.saga.started(record);
    return this.settled(record.checkoutId, this.saga.drive(record.checkoutId, record));
  }

  /** A user's own checkout (someone else's is as unknown as a missing one). */
  async get(userId: string, checkoutId: string): Promise<CheckoutRecord> {
    const record = await this.store.get(checkoutId);
    if (!record || record.userId !== userId) throw RpcError.notFound('checkout', { checkoutId });
    return record;
  }

  /** Waits up to CART_CHECKOUT_WAIT_MS for the checkout to finish, then answers its state. */
  private async settled(checkoutId: string, run = this.saga.runOf(checkoutId)): Promise<CheckoutRecord> {
    const deadline = Date.now() + this.config.checkout.waitMs;
    if (run) {
      let timer: NodeJS.Timeout | undefined;
      const ended = await Promise.race([run, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.config.checkout.waitMs)))]);
      clearTimeout(timer);
      // The run's last write is the record as it stands: a finished one needs no second read.
      if (ended && isTerminal(ended.status)) return ended;
    }
    for (;;) {
      const record = await this.store.get(checkoutId);
      if (!record) throw RpcError.notFound('checkout', { checkoutId });
      if (isTerminal(record.status) || Date.now() >= deadline) return record;
      await new Promise((resolve) => setTimeout(resolve, 50)); // driven by another instance
    }
  }
}
