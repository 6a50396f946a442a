import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@polystore/contracts';
import type { OutboxBacklog, OutboxStore } from '@polystore/platform';
import type { Redis } from 'ioredis';
import { CartRedis } from './cart-redis.js';

/** cart's outbox: a Redis list written in the same script/MULTI as the change it announces. */
export const OUTBOX_KEY = 'outbox';
const RELAY_LOCK_KEY = 'outbox-relay-lock';
const RELAY_LOCK_MS = 30_000;

/** Drops the `count` published events from the head, only while this relay still holds the lock. */
const TRIM_PUBLISHED = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('LTRIM', KEYS[1], tonumber(ARGV[2]), -1)
return 1`;

const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface OutboxCommands {
  cartOutboxTrim(outbox: string, lock: string, token: string, count: number): Promise<number>;
  cartOutboxUnlock(lock: string, token: string): Promise<number>;
}

/**
 * The relay's side of the outbox. Producers only append (RPUSH) inside their own atomic step; one
 * relay at a time (a lock with a lease, so a crashed relay's lock runs out) reads the head, publishes
 * it (Nats-Msg-Id = event id, so a republish after a crash is dropped by JetStream) and trims it.
 */
@Injectable()
export class CartOutbox implements OutboxStore {
  private readonly redis: Redis & OutboxCommands;
  private readonly listeners = new Set<() => void>();

  constructor(@Inject(CartRedis) store: CartRedis) {
    this.redis = store.redis as Redis & OutboxCommands;
    this.redis.defineCommand('cartOutboxTrim', { numberOfKeys: 2, lua: TRIM_PUBLISHED });
    this.redis.defineCommand('cartOutboxUnlock', { numberOfKeys: 1, lua: RELEASE_LOCK });
  }

  /** Called by the stores after a write that appended events: wakes this process's relay at once. */
  written(): void {
    for (const listener of this.listeners) listener();
  }

  async onCommitted(wake: () => void): Promise<() => Promise<void>> {
    this.listeners.add(wake);
    return async () => {
      this.listeners.delete(wake);
    };
  }

  async drain(limit: number, publish: (events: EventEnvelope[]) => Promise<string[]>): Promise<number> {
    const token = randomUUID();
    if ((await this.redis.set(RELAY_LOCK_KEY, token, 'PX', RELAY_LOCK_MS, 'NX')) !== 'OK') return 0; // another relay is at it
    try {
      const raw = await this.redis.lrange(OUTBOX_KEY, 0, limit - 1);
      if (raw.length === 0) return 0;
      const events = raw.map((json) => JSON.parse(json) as EventEnvelope);
      const published = await publish(events);
      if (published.length > 0) await this.redis.cartOutboxTrim(OUTBOX_KEY, RELAY_LOCK_KEY, token, published.length);
      if (published.length < events.length) throw new Error(`published ${published.length} of ${events.length} cart events`);
      return events.length;
    } finally {
      await this.redis.cartOutboxUnlock(RELAY_LOCK_KEY, token).catch(() => undefined);
    }
  }

  /** Events not yet published, and when the oldest (the list's head) was written. */
  async backlog(): Promise<OutboxBacklog> {
    const [pending, head] = await Promise.all([this.redis.llen(OUTBOX_KEY), this.redis.lindex(OUTBOX_KEY, 0)]);
    return { pending, oldestWrittenAt: head ? new Date((JSON.parse(head) as EventEnvelope).occurredAt) : null };
  }
}
