import { Redis } from 'ioredis';
import type { CheckoutStep, CheckoutStepName, CheckoutStepStatus, ServiceName } from '@polystore/contracts';

/**
 * Failures injected at chosen points of the checkout saga, from outside its process (here, with
 * cart's tests, since only cart's own code may speak to its store): the chaos suite
 * watches cart's Redis (keyspace notifications, as the store's admin) and, at the first write of a
 * checkout that records a step in a given state, runs that point's action (kill the saga's owner,
 * the step's callee, or the callee's store). The action lands right after that write — before the
 * saga's next write, or a few milliseconds later on a busy machine; what the record held when the
 * action began is kept, so the table says where each failure really fell.
 *
 * Actions take turns. A point first written while another action runs is kept, and when that action
 * ends, before any other action starts, its action runs if the checkout has not been written since
 * (or only by another attempt of the same call): the record still holds the point, the call is still
 * in flight. Without that, points that follow another action (the refunds after users' freeze) fell
 * inside it or inside the scheduled action that took the turn next, and were never reached.
 */

/** Whom each saga step calls: the process killed while it is in flight, the store killed once it is done. */
export const STEP_CALLEE: Record<CheckoutStepName, ServiceName> = {
  'reserve-stock': 'products',
  'debit-wallet': 'users',
  'commit-stock': 'products',
  'clear-cart': 'cart',
  'refund-wallet': 'users',
  'release-stock': 'products',
};

/** The first write that records `step` as `status`. */
export interface SagaPoint {
  step: CheckoutStepName;
  status: CheckoutStepStatus;
}

export interface Injection {
  point: SagaPoint;
  what: string;
  act: () => Promise<string>;
}

/** A checkout's write that added points while another action ran: the points, its revision, its last step. */
interface HeldWrite {
  points: string[];
  revision: number;
  lastStep: string;
}

/** Where an injection fell: the checkout, its record at that moment, and the action's own account. */
export interface Fired {
  what: string;
  checkoutId: string;
  record: string;
  at: number;
  outcome: string;
}

/**
 * One chaos action at a time: the suite's scheduled actions and the saga-point injections take turns.
 * When a turn ends, `onFree` runs first and may take the next turn before those waiting in `take`.
 */
export class ChaosTurns {
  private current: Promise<unknown> | null = null;
  onFree: (() => void) | null = null;

  get busy(): boolean {
    return this.current !== null;
  }

  /** Runs `fn` once no other action runs. */
  async take<T>(fn: () => Promise<T>): Promise<T> {
    while (this.current) await this.current.catch(() => undefined);
    return this.run(fn);
  }

  /** Runs `fn` now if nothing else runs; null otherwise. */
  tryTake<T>(fn: () => Promise<T>): Promise<T> | null {
    return this.current ? null : this.run(fn);
  }

  private run<T>(fn: () => Promise<T>): Promise<T> {
    // The waiters in `take` resume only after this callback: onFree's tryTake comes before them.
    const running = fn().finally(() => {
      this.current = null;
      this.onFree?.();
    });
    this.current = running;
    return running;
  }
}

const pointName = (p: { name?: string; step?: string; status: string }) => `${p.step ?? p.name} ${p.status}`;

export class SagaInjector {
  private readonly subscriber: Redis;
  private readonly reader: Redis;
  /** Per checkout, the (step, status) pairs already seen: only a write that adds one is a point's first. */
  private readonly seen = new Map<string, Set<string>>();
  private readonly armed: Injection[] = [];
  readonly fired: Fired[] = [];
  readonly failures: Error[] = [];
  /** Per checkout, the write that added points while another action ran, if nothing but retries followed it. */
  private readonly held = new Map<string, HeldWrite>();
  /** Per point, how many checkouts first wrote it while another action ran. */
  private readonly duringOthers = new Map<string, number>();
  private stopped = false;

  constructor(
    adminUrl: string,
    private readonly keyPrefix: string,
    private readonly turns: ChaosTurns,
  ) {
    // Both reconnect by themselves when the store is killed; notifications are switched on at every connect.
    this.subscriber = new Redis(adminUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    this.reader = new Redis(adminUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    this.reader.on('ready', () => void this.reader.config('SET', 'notify-keyspace-events', 'Kh').catch(() => undefined));
    this.reader.on('error', () => undefined);
    this.subscriber.on('error', () => undefined);
  }

  async start(injections: Injection[]): Promise<void> {
    this.armed.push(...injections);
    this.turns.onFree = () => this.afterTurn();
    await this.reader.connect();
    await this.reader.config('SET', 'notify-keyspace-events', 'Kh');
    await this.subscriber.connect();
    const prefix = `__keyspace@0__:${this.keyPrefix}checkouts:`;
    this.subscriber.on('pmessage', (_pattern: string, channel: string, event: string) => {
      if (event === 'hset' && channel.startsWith(prefix)) void this.written(channel.slice(prefix.length));
    });
    await this.subscriber.psubscribe(`${prefix}*`);
  }

  /** Injections not fired yet. */
  get pending(): Injection[] {
    return this.armed.filter((i) => !this.fired.some((f) => f.what === i.what));
  }

  /** How many checkouts first wrote each point while another action ran (for a point never reached: why). */
  writtenDuringOthers(point: SagaPoint): number {
    return this.duringOthers.get(pointName(point)) ?? 0;
  }

  private async read(checkoutId: string): Promise<{ record: { status: string; steps: CheckoutStep[] }; revision: number } | null> {
    // The admin's connection has no key prefix: the key as Redis stores it.
    const [json, revision] = await this.reader.hmget(`${this.keyPrefix}checkouts:${checkoutId}`, 'json', 'revision').catch(() => [null, null]);
    if (!json || !revision) return null;
    return { record: JSON.parse(json) as { status: string; steps: CheckoutStep[] }, revision: Number(revision) };
  }

  private async written(checkoutId: string): Promise<void> {
    if (this.stopped) return;
    const read = await this.read(checkoutId);
    if (!read) return;
    const { record, revision } = read;
    const seen = this.seen.get(checkoutId) ?? new Set<string>();
    this.seen.set(checkoutId, seen);
    const added = record.steps.map(pointName).filter((p) => !seen.has(p));
    for (const p of added) seen.add(p);
    const last = record.steps.at(-1);
    const held = this.held.get(checkoutId);
    if (held && revision > held.revision) {
      // Another attempt of the same call keeps the point held (the call is in flight again); any other write ends it.
      if (!added.length && last && pointName(last) === held.lastStep && last.status === 'started') held.revision = revision;
      else this.held.delete(checkoutId);
    }
    if (!added.length) return;
    if (this.turns.busy) {
      for (const p of added) this.duringOthers.set(p, (this.duringOthers.get(p) ?? 0) + 1);
      if (this.pending.some((i) => added.includes(pointName(i.point)))) {
        this.held.set(checkoutId, { points: added, revision, lastStep: last ? pointName(last) : '' });
      }
      return;
    }
    await this.fire(checkoutId, added, record, false);
  }

  /**
   * Once an action has ended: the first held point some injection still waits for, if its checkout was
   * not written since. The others stay held for the end of that injection.
   */
  private afterTurn(): void {
    if (this.stopped || !this.held.size || !this.pending.length) return;
    const running = this.turns.tryTake(async () => {
      for (const [checkoutId, held] of [...this.held.entries()]) {
        const read = await this.read(checkoutId);
        // Met here, moved on, or no injection waits for its points any more: no longer held (a newer write may be).
        if (this.held.get(checkoutId) === held) this.held.delete(checkoutId);
        if (!read || read.revision !== held.revision) continue;
        if (await this.fire(checkoutId, held.points, read.record, true)) return;
      }
    });
    void running?.catch(() => undefined);
  }

  /**
   * Runs the first pending injection for one of `points`: within the turn the caller holds (`inTurn`),
   * or in a turn of its own if none runs. Whether one ran.
   */
  private async fire(checkoutId: string, points: string[], record: { status: string; steps: CheckoutStep[] }, inTurn: boolean): Promise<boolean> {
    const injection = this.stopped ? undefined : this.pending.find((i) => points.includes(pointName(i.point)));
    if (!injection) return false;
    const last = record.steps.at(-1);
    const fired: Fired = {
      what: injection.what,
      checkoutId,
      record: `${record.status}, last step ${last ? pointName(last) : 'none'}`,
      at: Date.now(),
      outcome: '',
    };
    const act = async () => {
      this.fired.push(fired);
      fired.outcome = await injection.act();
    };
    const running = inTurn ? act() : this.turns.tryTake(act);
    if (!running) return false;
    await running.catch((error: Error) => {
      fired.outcome = `failed: ${error.message}`;
      this.failures.push(new Error(`${injection.what} (checkout ${checkoutId}): ${error.message}`));
    });
    return true;
  }

  /** No injection starts from now on (one running goes on); what fired and what did not stay readable. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.turns.onFree = null;
    this.subscriber.disconnect();
    this.reader.disconnect();
  }
}
