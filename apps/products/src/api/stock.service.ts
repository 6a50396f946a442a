import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ErrorCode, type Reservation, type ReserveStockRequest, type ReservedLine } from '@polystore/contracts';
import { DomainError, RpcError } from '@polystore/platform';
import { PRODUCTS_CONFIG, type ProductsConfig } from '../config.js';
import { ProductNotFound } from '../domain/errors.js';
import { commit, hold, release } from '../domain/stock.js';
import { stockCommitted, stockReleased, stockReserved } from '../events/stock-events.js';
import { ProductsStore } from '../store/products.store.js';
import { ReservationsStore, type ReservationRecord } from '../store/reservations.store.js';

/**
 * Stock reservations for the checkout saga, idempotent by reservation id. A reservation is its
 * own document whose status moves holding → held → committing → committed (or → releasing →
 * released, or → rejected); each product keeps the holds on it, changed under optimistic
 * concurrency, so stock never goes negative. Every step is safe to repeat, so a reservation left
 * half-way by a crash is finished by the sweeper (commit) or released when it expires.
 */
/** Checkouts crowd onto popular products: stock writes retry longer than catalog edits. */
const HOLD_WRITE = { retries: 60 };

@Injectable()
export class StockService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('StockService');
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping = false;
  /**
   * The reserve, commit and release calls this process is working on, by what they ask. Under load a
   * caller's deadline can pass before the answer (cart retries after 5 s): the retry joins the call
   * still running instead of doing the same writes again beside it, where they only meet each other
   * as version conflicts and make everything slower.
   */
  private readonly running = new Map<string, Promise<Reservation>>();

  constructor(
    @Inject(ProductsStore) private readonly products: ProductsStore,
    @Inject(ReservationsStore) private readonly reservations: ReservationsStore,
    @Inject(PRODUCTS_CONFIG) private readonly config: ProductsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeper = setInterval(() => void this.sweep(), this.config.reservationSweepMs);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  reserve(request: ReserveStockRequest): Promise<Reservation> {
    // The same id with other lines does not join: it is answered on its own (a conflict).
    const lines = request.lines.map((l) => `${l.productId}×${l.quantity}`).sort();
    return this.once(`reserve ${request.reservationId} ${request.ttlSeconds ?? ''} ${lines.join(',')}`, () => this.reserveNow(request));
  }

  release(reservationId: string, reason: 'released' | 'expired' = 'released'): Promise<Reservation> {
    return this.once(`release ${reservationId} ${reason}`, () => this.releaseNow(reservationId, reason));
  }

  commit(reservationId: string): Promise<Reservation> {
    return this.once(`commit ${reservationId}`, () => this.commitNow(reservationId));
  }

  /** `work`, or the same work already running in this process. */
  private once(key: string, work: () => Promise<Reservation>): Promise<Reservation> {
    const running = this.running.get(key);
    if (running) return running;
    const started = work().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }

  private async reserveNow(request: ReserveStockRequest): Promise<Reservation> {
    const ids = request.lines.map((l) => l.productId);
    if (new Set(ids).size !== ids.length) {
      throw RpcError.validation('lines must name each product once', [{ field: 'lines', problems: ['duplicate productId'] }]);
    }
    const now = new Date();
    const expiresAt = new Date(now.getTime() + (request.ttlSeconds ?? this.config.reservationTtlSeconds) * 1000).toISOString();
    const fresh: ReservationRecord = {
      reservationId: request.reservationId,
      status: 'holding',
      lines: request.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, priceCents: 0, currency: '', name: '' })),
      expiresAt,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    // A new id is the usual case: create at once (one round trip), and read only when it exists.
    const { record } = await this.reservations.createOrGet(fresh);
    if (!record) throw RpcError.notFound('reservation', { reservationId: request.reservationId });
    if (!sameLines(record, request)) {
      throw RpcError.conflict('reservationId was already used for other lines', { field: 'reservationId' });
    }
    if (record.status === 'rejected') {
      throw new RpcError((record.reasonCode as ErrorCode | undefined) ?? ErrorCode.OutOfStock, record.reason ?? 'out of stock', {
        reservationId: record.reservationId,
      });
    }
    if (record.status !== 'holding') return toReservation(record);
    return this.holdAll(record);
  }

  private async releaseNow(reservationId: string, reason: 'released' | 'expired'): Promise<Reservation> {
    const record = await this.mustGet(reservationId);
    if (record.status === 'released' || record.status === 'rejected') return toReservation(record);
    if (record.status === 'committed' || record.status === 'committing') {
      throw RpcError.conflict('reservation is already committed; it cannot be released', { reservationId });
    }
    const releasing = await this.reservations.transition(reservationId, ['holding', 'held', 'releasing'], 'releasing');
    if (!releasing || releasing.status !== 'releasing') return this.releaseNow(reservationId, reason);
    await this.dropHolds(releasing);
    const released = await this.reservations.transition(reservationId, ['releasing'], 'released', [stockReleased(releasing, reason)], { reason });
    return toReservation(released!);
  }

  private async commitNow(reservationId: string): Promise<Reservation> {
    // Straight to `committing` when the reservation is held and not expired (decided on what this
    // process last wrote, checked by the conditional write; read fresh otherwise); anything else is
    // answered from the record as it is.
    const now = new Date().toISOString();
    const committing = await this.reservations.transition(
      reservationId,
      ['held', 'committing'],
      'committing',
      [],
      {},
      (current) => current.status === 'committing' || current.expiresAt > now,
    );
    if (!committing) throw RpcError.notFound('reservation', { reservationId });
    if (committing.status === 'committed') return toReservation(committing);
    if (committing.status === 'held') {
      await this.release(reservationId, 'expired');
      throw RpcError.conflict('reservation has expired; its stock was released', { reservationId, status: 'released' });
    }
    if (committing.status !== 'committing') {
      throw RpcError.conflict(`reservation is ${committing.status}; only a held reservation can be committed`, {
        reservationId,
        status: committing.status,
      });
    }
    // No hold left while committing means this product's part was already applied.
    const applied = await this.products.modifyMany(
      committing.lines.map((line) => line.productId),
      (_id, current) => {
        const next = commit(current, reservationId, now);
        return next ? { next, events: [] } : null;
      },
      HOLD_WRITE,
    );
    throwUnlessApplied(applied);
    const committed = await this.reservations.transition(reservationId, ['committing'], 'committed', [stockCommitted(committing)]);
    return toReservation(committed!);
  }

  async get(reservationId: string): Promise<Reservation> {
    return toReservation(await this.mustGet(reservationId));
  }

  /**
   * Holds every line, all lines at once (each product is its own document, so the holds are
   * independent writes); on any shortage, gives back what was held and records the rejection.
   */
  private async holdAll(record: ReservationRecord): Promise<Reservation> {
    const now = new Date().toISOString();
    const quantities = new Map(record.lines.map((line) => [line.productId, line.quantity]));
    const snapshots = new Map<string, ReservedLine>();
    const held = await this.products.modifyMany(
      record.lines.map((line) => line.productId),
      (productId, current) => {
        const quantity = quantities.get(productId)!;
        snapshots.set(productId, { productId, quantity, priceCents: current.priceCents, currency: current.currency, name: current.name });
        const outcome = hold(current, { id: record.reservationId, quantity, expiresAt: record.expiresAt }, now);
        if (outcome.kind === 'out-of-stock') {
          throw outOfStock(`only ${outcome.available} of ${current.name} (${current.sku}) available, ${quantity} requested`, {
            productId,
            available: outcome.available,
            requested: quantity,
          });
        }
        return outcome.kind === 'held' ? { next: outcome.next, events: [] } : null;
      },
      HOLD_WRITE,
    );
    const failures = held.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    if (failures.length > 0) {
      // A shortage is the reason to report; another failure only if there was no shortage.
      const error = failures.find((e) => e instanceof RpcError && e.code === ErrorCode.OutOfStock) ?? failures[0];
      await this.dropHolds(record);
      const known = error instanceof RpcError || error instanceof DomainError ? error : null;
      const reason = known ? known.message : 'could not reserve';
      const reasonCode = known ? known.code : ErrorCode.Internal;
      await this.reservations.transition(record.reservationId, ['holding'], 'rejected', [], { reason, reasonCode });
      throw error;
    }
    const lines = record.lines.map((line) => snapshots.get(line.productId)!);
    const done = await this.reservations.transition(record.reservationId, ['holding'], 'held', [stockReserved({ ...record, lines })], { lines });
    return toReservation(done!);
  }

  private async dropHolds(record: ReservationRecord): Promise<void> {
    const now = new Date().toISOString();
    const dropped = await this.products.modifyMany(
      record.lines.map((line) => line.productId),
      (_id, current) => {
        const next = release(current, record.reservationId, now);
        return next ? { next, events: [] } : null;
      },
      HOLD_WRITE,
    );
    throwUnlessApplied(dropped);
  }

  /** Releases expired reservations and finishes ones left half-way. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    let handled = 0;
    try {
      for (const id of await this.reservations.expired(new Date().toISOString(), 100)) {
        const record = await this.reservations.get(id);
        if (record?.status === 'committing') await this.commit(id);
        else await this.release(id, 'expired');
        handled++;
      }
    } catch (error) {
      this.logger.warn(`reservation sweep failed: ${(error as Error).message}`);
    } finally {
      this.sweeping = false;
    }
    return handled;
  }

  private async mustGet(reservationId: string): Promise<ReservationRecord> {
    const record = await this.reservations.get(reservationId);
    if (!record) throw RpcError.notFound('reservation', { reservationId });
    return record;
  }
}

/** Throws the first failure of a change applied to several products; a product gone has nothing left to change. */
function throwUnlessApplied(results: Array<PromiseSettledResult<unknown>>): void {
  for (const result of results) if (result.status === 'rejected' && !(result.reason instanceof ProductNotFound)) throw result.reason;
}

function sameLines(record: ReservationRecord, request: ReserveStockRequest): boolean {
  const key = (lines: Array<{ productId: string; quantity: number }>) => JSON.stringify([...lines].map((l) => [l.productId, l.quantity]).sort());
  return key(record.lines) === key(request.lines);
}

function outOfStock(message: string, details?: unknown): RpcError {
  return new RpcError(ErrorCode.OutOfStock, message, details);
}

function toReservation(record: ReservationRecord): Reservation {
  return {
    reservationId: record.reservationId,
    status: record.status,
    lines: record.lines,
    expiresAt: record.expiresAt,
    ...(record.reason ? { reason: record.reason } : {}),
  };
}
