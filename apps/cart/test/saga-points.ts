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

/** Where an injection fell: the checkout, its record at that moment, and the action's own account. */
export interface Fired {
  what: string;
  checkoutId: string;
  record: string;
  at: number;
  outcome: string;
}

/** One chaos action at a time: the suite's scheduled actions and the saga-point injections take turns. */
export class ChaosTurns {
  private current: Promise<unknown> | null = null;

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
    const running = fn().finally(() => (this.current = null));
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

  private async written(checkoutId: string): Promise<void> {
    if (this.stopped) return;
    // The admin's connection has no key prefix: the key as Redis stores it.
    const json = await this.reader.hget(`${this.keyPrefix}checkouts:${checkoutId}`, 'json').catch(() => null);
    if (!json) return;
    const record = JSON.parse(json) as { status: string; steps: CheckoutStep[] };
    const seen = this.seen.get(checkoutId) ?? new Set<string>();
    this.seen.set(checkoutId, seen);
    const added = record.steps.map(pointName).filter((p) => !seen.has(p));
    for (const p of added) seen.add(p);
    if (this.turns.busy) return;
    const injection = this.pending.find((i) => added.includes(pointName(i.point)));
    if (!injection) return;
    const last = record.steps.at(-1);
    const fired: Fired = {
      what: injection.what,
      checkoutId,
      record: `${record.status}, last step ${last ? pointName(last) : 'none'}`,
      at: Date.now(),
      outcome: '',
    };
    const running = this.turns.tryTake(async () => {
      this.fired.push(fired);
      fired.outcome = await injection.act();
    });
    await running?.catch((error: Error) => {
      fired.outcome = `failed: ${error.message}`;
      this.failures.push(new Error(`${injection.what} (checkout ${checkoutId}): ${error.message}`));
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.subscriber.disconnect();
    this.reader.disconnect();
  }
}
