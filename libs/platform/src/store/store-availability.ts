import { Logger } from '@nestjs/common';
import { ErrorCode } from '@polystore/contracts';
import { DomainError } from '../errors/domain-error.js';
import { isUnavailable } from '../rpc/rpc-exception.filter.js';

/** The service's store did not answer in time, or cannot be reached: callers get UNAVAILABLE (HTTP 503 at the gateway). */
export class StoreUnavailableError extends DomainError {
  constructor(store: string, reason: string) {
    super(ErrorCode.Unavailable, `${store} is unavailable; try again later`, { store, reason });
  }
}

/** `work` did not settle within its deadline; what it started may still finish in the background. */
export class DeadlineExceededError extends Error {
  constructor(
    what: string,
    ms: number,
    /** How late the deadline's timer ran: the event loop was blocked that long, so the answer may not have been read. */
    readonly lateByMs = 0,
  ) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Runs `work` with a deadline: rejects with DeadlineExceededError after `ms`, and aborts `signal` so
 * a driver that takes one can stop waiting too. A promise cannot be cancelled, so whatever `work`
 * sent may still be applied: a caller that times out must treat the outcome as unknown.
 */
export async function withDeadline<T>(what: string, ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const due = performance.now() + ms;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // After the event loop was blocked (a CPU-heavy request), timers run before pending I/O is
      // read: let the loop read it once before calling the answer late, so a stall is not an outage.
      setImmediate(() => {
        if (settled) return;
        const error = new DeadlineExceededError(what, ms, Math.max(0, performance.now() - due));
        controller.abort(error);
        reject(error);
      });
    }, ms);
  });
  const working = work(controller.signal).finally(() => {
    settled = true;
  });
  try {
    return await Promise.race([working, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export interface StoreAvailabilityOptions {
  /** The store's name in messages and health: 'redis', 'postgres', … */
  store: string;
  /** A cheap round trip to the store (PING, SELECT 1); rejects when the store cannot answer. */
  probe: (signal: AbortSignal) => Promise<void>;
  /** How long a probe may take before the store counts as unavailable. */
  probeDeadlineMs: number;
  /** Pause between probes (the next starts when the last ended). */
  probeIntervalMs: number;
  /**
   * Opens what the probe runs on when it is not open (a connection of its own), before the probe's
   * deadline starts: opening a connection (a server process forked, an authentication exchange)
   * takes far longer than a round trip on a busy machine, and a first probe that counted it was
   * seen to mark a healthy database away at a service's start. A refused connection is still a
   * verdict at once; a hanging one is given `connectDeadlineMs`.
   */
  connect?: (signal: AbortSignal) => Promise<void>;
  /** How long `connect` may take before the store counts as unavailable. */
  connectDeadlineMs?: number;
}

type Listener = (available: boolean) => void;

/**
 * What a service knows of its store's availability, kept without any driver: a heartbeat probe
 * (with a deadline) plus what the store adapter reports from its driver (connection events,
 * command timeouts). Requests are refused at once while the store is away (the RPC gate), requests
 * waiting on it are answered UNAVAILABLE as soon as it goes away, relays and consumers wait for it
 * instead of burning retries, and readiness reads it.
 *
 * Worst case from a store freezing to the service knowing: probeIntervalMs + probeDeadlineMs, or
 * 1.5 × probeDeadlineMs when the adapter reports answers (reportAnswer) and the store froze mid-probe.
 */
export class StoreAvailability {
  private readonly logger: Logger;
  private up = true;
  private downReason: string | null = null;
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private probing = false;
  /** When the store last answered an operation (performance.now()); see reportAnswer. */
  private lastAnswerAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: StoreAvailabilityOptions) {
    this.logger = new Logger(`StoreAvailability:${options.store}`);
  }

  get store(): string {
    return this.options.store;
  }

  get available(): boolean {
    return this.up;
  }

  /** Why the store counts as unavailable (null while available). */
  get reason(): string | null {
    return this.downReason;
  }

  /** Starts the heartbeat (at bootstrap, once the schema setup has run). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Nest calls these when the tracker is a provider (storeAvailability()). */
  onApplicationBootstrap(): void {
    this.start();
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  markDown(reason: string): void {
    if (!this.up) return;
    this.up = false;
    this.downReason = reason;
    // Not while stopped: a connection closed at shutdown is no outage to report.
    if (this.running) this.logger.warn(`${this.options.store} unavailable: ${reason}`);
    this.emit();
    // Probe again at once rather than after a whole interval: a blip should not last.
    if (this.running && !this.probing) this.schedule(0);
  }

  markUp(): void {
    if (this.up) return;
    this.up = true;
    this.downReason = null;
    if (this.running) this.logger.log(`${this.options.store} available again`);
    this.emit();
  }

  /** Calls `listener` on each change; returns a function that stops listening. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the store is available (at once if it is), or when `signal` aborts. */
  whenAvailable(signal?: AbortSignal): Promise<void> {
    if (this.up || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        stopListening();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const stopListening = this.onChange((up) => up && done());
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Throws StoreUnavailableError while the store is away. */
  assertAvailable(): void {
    if (!this.up) throw this.unavailableError();
  }

  unavailableError(): StoreUnavailableError {
    return new StoreUnavailableError(this.options.store, this.downReason ?? 'unknown');
  }

  /**
   * Classifies a failure of a store operation: a timeout or a connection-level error answers true
   * (the caller turns it into UNAVAILABLE) and has the store probed at once; anything else answers
   * false. It does not mark the store away by itself: a pool that is busy or one slow query is not an
   * outage, and marking the store away would fail every other request too. The probe decides.
   */
  reportFailure(error: unknown): boolean {
    if (!isStoreUnavailableFailure(error)) return false;
    if (this.running && !this.probing) this.schedule(0);
    return true;
  }

  /**
   * The store answered one of the service's operations (any answer, an error status too): the
   * adapter calls this from its driver's response hook where it has one. A probe that times out
   * while operations are still being answered means a busy store (a JVM warming up after a
   * restart, a machine under load), not a frozen one: no verdict, probe again.
   */
  reportAnswer(): void {
    this.lastAnswerAt = performance.now();
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.beat(), delayMs);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    this.timer = null;
    this.probing = true;
    try {
      const { connect, connectDeadlineMs = this.options.probeDeadlineMs } = this.options;
      if (connect) await withDeadline(`${this.options.store} probe connection`, connectDeadlineMs, connect);
      await withDeadline(`${this.options.store} probe`, this.options.probeDeadlineMs, (signal) => this.options.probe(signal));
      this.markUp();
    } catch (error) {
      if (error instanceof DeadlineExceededError && this.noVerdict(error)) {
        this.probing = false;
        if (this.running) this.schedule(0);
        return;
      }
      this.markDown((error as Error)?.message ?? String(error));
    } finally {
      this.probing = false;
    }
    if (this.running && !this.timer) this.schedule(this.options.probeIntervalMs);
  }

  /**
   * A probe's timeout says nothing when this process, not the store, was stalled (its timers ran
   * late), or when the store answered other operations in the second half of the probe's wait. Only
   * the second half counts, so a store frozen mid-probe still goes unavailable within
   * probeIntervalMs + 1.5 × probeDeadlineMs.
   */
  private noVerdict(timeout: DeadlineExceededError): boolean {
    const deadline = this.options.probeDeadlineMs;
    if (timeout.lateByMs > deadline / 2) return true;
    return this.lastAnswerAt > performance.now() - timeout.lateByMs - deadline / 2;
  }

  private emit(): void {
    for (const listener of this.listeners) {
      try {
        listener(this.up);
      } catch (error) {
        this.logger.error(`availability listener failed: ${(error as Error).message}`);
      }
    }
  }
}

/** A store operation's failure that says "the store is away" rather than "the request is wrong". */
export function isStoreUnavailableFailure(error: unknown): boolean {
  return error instanceof StoreUnavailableError || error instanceof DeadlineExceededError || isUnavailable(error);
}
