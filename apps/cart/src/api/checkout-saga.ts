import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  CartEvents,
  ErrorCode,
  ProductsRpc,
  UsersRpc,
  type CheckoutCompletedV1,
  type CheckoutFailedV1,
  type CheckoutFailure,
  type CheckoutStepName,
} from '@polystore/contracts';
import { AppMetrics, RpcClient, RpcError, newEvent } from '@polystore/platform';
import { CART_CONFIG, type CartConfig } from '../config.js';
import {
  debitKey,
  failureOf,
  isTerminal,
  debitNotAfter,
  isTransient,
  priceDrift,
  refundKey,
  stepFinished,
  stepStarted,
  type CheckoutRecord,
} from '../domain/checkout.js';
import { CheckoutsStore, type SaveOptions } from '../store/checkouts.store.js';

/** This process no longer drives the checkout: another one took it over, or the service is stopping. */
class Abandoned extends Error {}

type CallResult<T> = { record: CheckoutRecord; ok: true; value: T } | { record: CheckoutRecord; ok: false; error: RpcError };

/**
 * The checkout saga, orchestrated here: reserve stock (products) → debit the wallet (users) →
 * commit the stock, take the lines off the cart and announce CheckoutCompleted. A failure
 * compensates what was done (refund, release) and announces CheckoutFailed.
 *
 * Every step is written to Redis before its call and after its answer, and every call is idempotent
 * by a key derived from the checkout id, so a checkout can be resumed from its last write by any
 * instance: whoever holds its lease drives it; a dead holder's lease runs out and recovery takes over.
 */
@Injectable()
export class CheckoutSaga implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CheckoutSaga');
  /** This process's name on leases. */
  readonly owner = `cart-${process.pid}-${randomUUID()}`;
  private readonly driving = new Map<string, Promise<CheckoutRecord | null>>();
  /**
   * Records this process wrote with their next call already marked as started (and what it may
   * leave behind flagged): that call needs no write of its own before it is made.
   */
  private readonly announced = new WeakSet<CheckoutRecord>();
  private stopping = false;
  private recoveryTimer: NodeJS.Timeout | null = null;
  private recovering = false;
  private removeProbe: (() => void) | null = null;

  constructor(
    @Inject(CheckoutsStore) private readonly store: CheckoutsStore,
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(CART_CONFIG) private readonly config: CartConfig,
    @Inject(AppMetrics) private readonly metrics: AppMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const saga = { saga: SAGA };
    this.removeProbe = this.metrics.addProbe(
      'saga:checkout',
      async () => {
        const { active, oldestWriteAt } = await this.store.activeSummary();
        this.metrics.sagaActive.set(saga, active);
        this.metrics.sagaOldestActiveAge.set(saga, oldestWriteAt ? Math.max(0, (Date.now() - oldestWriteAt.getTime()) / 1_000) : 0);
      },
      [this.metrics.sagaActive, this.metrics.sagaOldestActiveAge],
    );
    this.recoveryTimer = setInterval(() => void this.recover(), this.config.checkout.recoveryIntervalMs);
    this.recoveryTimer.unref();
    void this.recover();
  }

  async onApplicationShutdown(): Promise<void> {
    this.removeProbe?.();
    this.stopping = true;
    if (this.recoveryTimer) clearInterval(this.recoveryTimer);
    // Drivers stop at their next step boundary and give their leases back.
    await Promise.allSettled([...this.driving.values()]);
  }

  /** The run of a checkout this process drives, if any. */
  runOf(checkoutId: string): Promise<CheckoutRecord | null> | undefined {
    return this.driving.get(checkoutId);
  }

  /** Counts a checkout just created in its first status. */
  started(record: CheckoutRecord): void {
    this.metrics.sagaTransitions.inc({ saga: SAGA, status: record.status });
  }

  /**
   * Drives a checkout whose lease this process holds (once: a second call joins the first).
   * `created` is the record as this process just created it (its first call marked as started), so
   * the run need not read it back.
   */
  drive(checkoutId: string, created?: CheckoutRecord): Promise<CheckoutRecord | null> {
    const running = this.driving.get(checkoutId);
    if (running) return running;
    if (created) this.announced.add(created);
    const run = this.run(checkoutId, created).finally(() => this.driving.delete(checkoutId));
    this.driving.set(checkoutId, run);
    return run;
  }

  /** Takes over unfinished checkouts nobody drives (their driver crashed, or this service restarted). */
  async recover(): Promise<void> {
    if (this.recovering || this.stopping) return;
    this.recovering = true;
    try {
      for (const checkoutId of await this.store.active(200)) {
        if (this.stopping) break;
        if (this.driving.has(checkoutId)) continue;
        if (await this.store.acquireLease(checkoutId, this.owner)) void this.drive(checkoutId);
      }
    } catch (error) {
      this.logger.warn(`looking for unfinished checkouts failed: ${(error as Error).message}`);
    } finally {
      this.recovering = false;
    }
  }

  private async run(checkoutId: string, created?: CheckoutRecord): Promise<CheckoutRecord | null> {
    let leaseLost = false;
    const renew = setInterval(
      () => {
        this.store.renewLease(checkoutId, this.owner).then(
          (held) => (leaseLost ||= !held),
          () => undefined, // Redis away: the saves fail too, and the run ends there
        );
      },
      Math.max(100, Math.floor(this.config.checkout.leaseMs / 3)),
    );
    const mustStop = () => this.stopping || leaseLost;
    let record: CheckoutRecord | null = null;
    try {
      record = created ?? (await this.store.get(checkoutId));
      while (record && !isTerminal(record.status)) {
        if (mustStop()) throw new Abandoned();
        const next = await this.advance(record, mustStop);
        if (next.status !== record.status) this.metrics.sagaTransitions.inc({ saga: SAGA, status: next.status });
        record = next;
      }
      return record;
    } catch (error) {
      if (!(error instanceof Abandoned)) {
        // Left as it is: recovery resumes it from its last write once the lease is given back.
        this.logger.warn(`checkout ${checkoutId} paused: ${(error as Error).message}`);
      }
      return null;
    } finally {
      clearInterval(renew);
      const releasing = this.store.releaseLease(checkoutId, this.owner).catch(() => undefined);
      // A finished checkout is driven by nobody again: its caller need not wait for the lease to go.
      if (!record || !isTerminal(record.status)) await releasing;
    }
  }

  /** One move of the state machine from the record's status. */
  private async advance(record: CheckoutRecord, mustStop: () => boolean): Promise<CheckoutRecord> {
    const { checkout } = this.config;
    switch (record.status) {
      case 'reserving': {
        const lines = record.lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));
        const result = await this.call(
          record,
          'reserve-stock',
          mustStop,
          () => this.rpc.send(ProductsRpc.reserveStock, { reservationId: record.checkoutId, lines, ttlSeconds: checkout.reservationTtlSeconds }),
          this.forwardDeadline(record),
        );
        if (!result.ok) return this.compensate(result.record, 'reserve-stock', result.error);
        const drift = priceDrift(result.record.lines, result.record.currency, result.value.lines);
        if (drift) return this.compensate(result.record, 'reserve-stock', new RpcError(ErrorCode.PriceChanged, drift), true);
        const at = now();
        return this.saveAnnouncing(
          {
            ...result.record,
            status: 'debiting',
            steps: stepFinished(result.record.steps, 'reserve-stock', 'done', at, `held until ${result.value.expiresAt}`),
          },
          'debit-wallet',
          at,
        );
      }
      case 'debiting': {
        // users makes no debit after notAfter: once it has passed (a long reservation), the step fails
        // without asking, and compensation refunds by the debit's key whatever an earlier attempt did.
        const notAfter = debitNotAfter(record.createdAt, this.config.checkout.forwardDeadlineMs);
        const result = await this.call(
          record,
          'debit-wallet',
          mustStop,
          () =>
            this.rpc.send(UsersRpc.debitWallet, {
              userId: record.userId,
              amountCents: record.totalCents,
              idempotencyKey: debitKey(record.checkoutId),
              reason: `checkout ${record.checkoutId}`,
              notAfter,
            }),
          Date.parse(notAfter),
        );
        if (!result.ok) return this.compensate(result.record, 'debit-wallet', result.error);
        const at = now();
        return this.saveAnnouncing(
          {
            ...result.record,
            status: 'committing',
            steps: stepFinished(result.record.steps, 'debit-wallet', 'done', at, `balance ${result.value.balanceCents}`),
          },
          'commit-stock',
          at,
        );
      }
      case 'committing': {
        // Paid for: from here on the checkout goes forward while it can, however long products is away.
        const result = await this.call(
          record,
          'commit-stock',
          mustStop,
          () => this.rpc.send(ProductsRpc.commitStock, { reservationId: record.checkoutId }),
          null,
        );
        if (!result.ok) return this.compensate(result.record, 'commit-stock', result.error);
        return this.complete(result.record);
      }
      case 'compensating':
        return this.compensateStep(record, mustStop);
      default:
        return record;
    }
  }

  private async complete(record: CheckoutRecord): Promise<CheckoutRecord> {
    const at = now();
    // clear-cart is done in this write (STEPS_RECORDED_DONE_ONLY).
    const steps = stepFinished(stepFinished(record.steps, 'commit-stock', 'done', at), 'clear-cart', 'done', at);
    const event = newEvent<CheckoutCompletedV1>('cart', CartEvents.CheckoutCompleted, {
      checkoutId: record.checkoutId,
      userId: record.userId,
      lines: record.lines,
      totalCents: record.totalCents,
      currency: record.currency,
      completedAt: at,
    });
    return this.save({ ...record, status: 'completed', steps }, { event, takeFromCart: record.lines });
  }

  /**
   * Turns to compensation after `step` ended with `error`. A definite answer (not a timeout or an
   * absent service) means the step did nothing — the calls are idempotent by key, so an earlier
   * attempt that did succeed would have been answered with its success — so there is nothing of it to undo.
   */
  private compensate(record: CheckoutRecord, step: CheckoutStepName, error: RpcError, stepSucceeded = false): Promise<CheckoutRecord> {
    const didNothing = !stepSucceeded && !isTransient(error.code);
    return this.save({
      ...record,
      status: 'compensating',
      failure: failureOf(step, error.code, error.message),
      steps: stepFinished(record.steps, step, 'failed', now(), `${error.code}: ${error.message}`),
      reserved: step === 'reserve-stock' && didNothing ? false : record.reserved,
      debited: step === 'debit-wallet' && didNothing ? false : record.debited,
    });
  }

  /** Refund first (the user's money matters most), then release the stock, then announce the failure. */
  private async compensateStep(record: CheckoutRecord, mustStop: () => boolean): Promise<CheckoutRecord> {
    if (record.debited) {
      const result = await this.call(
        record,
        'refund-wallet',
        mustStop,
        () =>
          this.rpc.send(UsersRpc.refundWallet, {
            userId: record.userId,
            idempotencyKey: refundKey(record.checkoutId),
            debitIdempotencyKey: debitKey(record.checkoutId),
            reason: `checkout ${record.checkoutId} failed`,
          }),
        null,
      );
      return this.save({ ...result.record, debited: false, steps: this.undone(result, 'refund-wallet', 'nothing had been debited') });
    }
    if (record.reserved) {
      const result = await this.call(
        record,
        'release-stock',
        mustStop,
        () => this.rpc.send(ProductsRpc.releaseStock, { reservationId: record.checkoutId }),
        null,
      );
      return this.save({ ...result.record, reserved: false, steps: this.undone(result, 'release-stock', 'nothing had been reserved') });
    }
    const failure: CheckoutFailure = record.failure ?? { code: ErrorCode.Internal, message: 'checkout failed' };
    const event = newEvent<CheckoutFailedV1>('cart', CartEvents.CheckoutFailed, {
      checkoutId: record.checkoutId,
      userId: record.userId,
      reasonCode: failure.code,
      reason: failure.message,
      lines: record.lines,
      totalCents: record.totalCents,
      currency: record.currency,
      failedAt: now(),
    });
    return this.save({ ...record, status: 'failed', failure }, { event });
  }

  /** The steps after an undo call: done, done with nothing to undo (NOT_FOUND), or failed for good (logged loudly). */
  private undone(result: CallResult<unknown>, step: CheckoutStepName, nothingToUndo: string) {
    if (result.ok) return stepFinished(result.record.steps, step, 'done', now());
    if (result.error.code === ErrorCode.NotFound) return stepFinished(result.record.steps, step, 'done', now(), nothingToUndo);
    this.logger.error(`checkout ${result.record.checkoutId}: ${step} refused (${result.error.code}: ${result.error.message}); needs an operator`);
    return stepFinished(result.record.steps, step, 'failed', now(), `${result.error.code}: ${result.error.message}`);
  }

  /** Until when (ms since the epoch) reserve and debit may be tried: the checkout's forward deadline. */
  private forwardDeadline(record: CheckoutRecord): number {
    return Date.parse(record.createdAt) + this.config.checkout.forwardDeadlineMs;
  }

  /**
   * Calls a step, recording it first (so a crash leaves "started" to resume from), and retries
   * while the other service is away: forward steps until their `deadline` (ms since the epoch),
   * commit and undo steps (no deadline) for as long as it takes. Once the deadline has passed the
   * step is not called (again): it fails as not done in time (TIMEOUT).
   */
  private async call<T>(
    record: CheckoutRecord,
    step: CheckoutStepName,
    mustStop: () => boolean,
    send: () => Promise<T>,
    deadline: number | null,
  ): Promise<CallResult<T>> {
    const tooLate = () => deadline !== null && Date.now() >= deadline;
    const lateError = () => new RpcError(ErrorCode.Timeout, `it had to be done by ${new Date(deadline!).toISOString()}; not asked after that`);
    if (tooLate()) return { record, ok: false, error: lateError() };
    // Written before the call, unless the write that led here did it already (saveAnnouncing).
    const last = record.steps.at(-1);
    const recorded = this.announced.has(record) && last?.name === step && last.status === 'started';
    let current = recorded ? record : await this.save(started(record, step, now()));
    const end = this.metrics.sagaStepDuration.startTimer({ saga: SAGA, step });
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await send();
        end({ result: 'done' });
        return { record: current, ok: true, value };
      } catch (thrown) {
        const error = thrown instanceof RpcError ? thrown : new RpcError(ErrorCode.Unavailable, (thrown as Error).message);
        if (!isTransient(error.code) || tooLate()) {
          end({ result: 'failed' });
          return { record: current, ok: false, error };
        }
        await sleep(Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)));
        if (mustStop()) throw new Abandoned();
        if (tooLate()) {
          end({ result: 'failed' });
          return { record: current, ok: false, error };
        }
        current = await this.save({ ...current, steps: stepStarted(current.steps, step, now(), `${error.code}: ${error.message}`) });
      }
    }
  }

  /**
   * Saves the outcome of one step together with the start of the next (`step`): one write instead
   * of two, and still written before the next call is made, as recovery needs.
   */
  private async saveAnnouncing(record: CheckoutRecord, step: CheckoutStepName, at: string): Promise<CheckoutRecord> {
    const saved = await this.save(started(record, step, at));
    this.announced.add(saved);
    return saved;
  }

  private async save(record: CheckoutRecord, options?: SaveOptions): Promise<CheckoutRecord> {
    const saved = await this.store.save({ ...record, updatedAt: now() }, options);
    if (!saved) throw new Abandoned(); // someone else wrote it: they drive it now
    return saved;
  }
}

/** The record with `step` marked as started, and flagged for compensation if it may leave something behind. */
function started(record: CheckoutRecord, step: CheckoutStepName, at: string): CheckoutRecord {
  return {
    ...record,
    steps: stepStarted(record.steps, step, at),
    reserved: record.reserved || step === 'reserve-stock',
    debited: record.debited || step === 'debit-wallet',
  };
}

/** The saga's name in metrics. */
const SAGA = 'checkout';
const now = () => new Date().toISOString();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
