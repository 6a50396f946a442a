import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { EventEnvelope } from '@polystore/contracts';
import type { Redis } from 'ioredis';
import { isTerminal, type CheckoutRecord } from '../domain/checkout.js';
import { CheckoutStillRunning } from '../domain/errors.js';
import { CART_CONFIG, type CartConfig } from '../config.js';
import { CartOutbox, OUTBOX_KEY } from './cart-outbox.js';
import { cartKey } from './carts.store.js';
import { CART_KEY_PREFIX, CartRedis } from './cart-redis.js';

/**
 * Claims an idempotency key for a new checkout, or answers the checkout that already has it;
 * refuses ("busy:<id>") while another checkout of the same user is unfinished.
 */
const CREATE = `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
local running = redis.call('GET', KEYS[5])
if running then return 'busy:' .. running end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('SET', KEYS[5], ARGV[1])
redis.call('HSET', KEYS[2], 'json', ARGV[2], 'revision', '1')
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
redis.call('SET', KEYS[4], ARGV[5], 'PX', ARGV[6])
return ARGV[1]`;

/**
 * One saga step's write, all or nothing: the checkout's new state (only over the revision the writer
 * read), its place among the active checkouts, an event for the outbox and, on completion, the
 * checked-out units taken off the cart (what the user added meanwhile stays).
 */
const SAVE = `
if redis.call('HGET', KEYS[1], 'revision') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'revision', tostring(tonumber(ARGV[1]) + 1))
if ARGV[3] == '1' then
  redis.call('ZREM', KEYS[2], ARGV[6])
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  if redis.call('GET', KEYS[5]) == ARGV[6] then redis.call('DEL', KEYS[5]) end
else
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
end
if ARGV[7] ~= '' then redis.call('RPUSH', KEYS[3], ARGV[7]) end
if ARGV[8] ~= '' then
  for _, line in ipairs(cjson.decode(ARGV[8])) do
    if redis.call('HINCRBY', KEYS[4], line[1], -line[2]) <= 0 then redis.call('HDEL', KEYS[4], line[1]) end
  end
  if redis.call('EXISTS', KEYS[4]) == 1 then redis.call('EXPIRE', KEYS[4], ARGV[9]) end
end
return 1`;

const RENEW_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface CheckoutCommands {
  checkoutCreate(
    idemKey: string,
    checkout: string,
    active: string,
    lease: string,
    running: string,
    id: string,
    json: string,
    keyTtl: number,
    nowMs: number,
    owner: string,
    leaseMs: number,
  ): Promise<string>;
  checkoutSave(
    checkout: string,
    active: string,
    outbox: string,
    cart: string,
    running: string,
    revision: string,
    json: string,
    terminal: string,
    retention: number,
    nowMs: number,
    id: string,
    event: string,
    takeFromCart: string,
    cartTtl: number,
  ): Promise<number>;
  checkoutRenewLease(lease: string, owner: string, leaseMs: number): Promise<number>;
  checkoutReleaseLease(lease: string, owner: string): Promise<number>;
}

export interface SaveOptions {
  event?: EventEnvelope;
  /** On completion: the units to take off the user's cart. */
  takeFromCart?: Array<{ productId: string; quantity: number }>;
}

/**
 * Checkout sagas' state: `checkouts:<id>` (hash: json, revision), `checkout-keys:<user>:<key>` → id,
 * `checkout-running:<user>` → the user's unfinished checkout (one at a time),
 * `checkouts-active` (sorted by last write: what recovery resumes) and `checkout-leases:<id>` (who
 * drives it now; a lease runs out when its holder dies, and another instance — or the restarted
 * one — takes over).
 */
@Injectable()
export class CheckoutsStore {
  private readonly redis: Redis & CheckoutCommands;
  private readonly retentionSeconds: number;
  private readonly cartTtlSeconds: number;

  constructor(
    @Inject(CartRedis) store: CartRedis,
    @Inject(CartOutbox) private readonly outbox: CartOutbox,
    @Inject(CART_CONFIG) private readonly config: CartConfig,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    this.redis = store.redis as Redis & CheckoutCommands;
    this.retentionSeconds = config.checkout.retentionDays * 24 * 3600;
    this.cartTtlSeconds = config.cartTtlDays * 24 * 3600;
    this.redis.defineCommand('checkoutCreate', { numberOfKeys: 5, lua: CREATE });
    this.redis.defineCommand('checkoutSave', { numberOfKeys: 5, lua: SAVE });
    this.redis.defineCommand('checkoutRenewLease', { numberOfKeys: 1, lua: RENEW_LEASE });
    this.redis.defineCommand('checkoutReleaseLease', { numberOfKeys: 1, lua: RELEASE_LEASE });
    timeStoreCalls(this, 'checkouts', metrics);
  }

  /**
   * Stores a new checkout under its idempotency key, leased to `owner`. Answers which checkout holds
   * the key (this one, or an earlier one), or that another checkout of this user is still running.
   */
  async create(record: CheckoutRecord, owner: string): Promise<{ holder: string } | { busyWith: string }> {
    const { revision: _r, ...json } = record;
    const answer = await this.redis.checkoutCreate(
      idempotencyKeyKey(record.userId, record.idempotencyKey),
      checkoutKey(record.checkoutId),
      ACTIVE_KEY,
      leaseKey(record.checkoutId),
      runningKey(record.userId),
      record.checkoutId,
      JSON.stringify(json),
      this.retentionSeconds,
      Date.now(),
      owner,
      this.config.checkout.leaseMs,
    );
    return answer.startsWith('busy:') ? { busyWith: answer.slice('busy:'.length) } : { holder: answer };
  }

  async idByIdempotencyKey(userId: string, idempotencyKey: string): Promise<string | null> {
    return this.redis.get(idempotencyKeyKey(userId, idempotencyKey));
  }

  async get(checkoutId: string): Promise<CheckoutRecord | null> {
    const h = await this.redis.hgetall(checkoutKey(checkoutId));
    if (!h.json || !h.revision) return null;
    return { ...(JSON.parse(h.json) as Omit<CheckoutRecord, 'revision'>), revision: Number(h.revision) };
  }

  /** Writes `next` over `next.revision`; returns it with its new revision, or null when someone else wrote first. */
  async save(next: CheckoutRecord, options: SaveOptions = {}): Promise<CheckoutRecord | null> {
    const { revision, ...json } = next;
    const terminal = next.status === 'completed' || next.status === 'failed';
    const take = options.takeFromCart?.length ? JSON.stringify(options.takeFromCart.map((l) => [l.productId, l.quantity])) : '';
    const saved = await this.redis.checkoutSave(
      checkoutKey(next.checkoutId),
      ACTIVE_KEY,
      OUTBOX_KEY,
      cartKey(next.userId),
      runningKey(next.userId),
      String(revision),
      JSON.stringify(json),
      terminal ? '1' : '0',
      this.retentionSeconds,
      Date.now(),
      next.checkoutId,
      options.event ? JSON.stringify(options.event) : '',
      take,
      this.cartTtlSeconds,
    );
    if (saved !== 1) return null;
    if (options.event) this.outbox.written();
    return { ...next, revision: revision + 1 };
  }

  /** Checkouts not finished yet, least recently written first. */
  async active(limit: number): Promise<string[]> {
    return this.redis.zrange(ACTIVE_KEY, '0', String(limit - 1));
  }

  /** How many checkouts are unfinished, and when the least recently written of them was last written. */
  async activeSummary(): Promise<{ active: number; oldestWriteAt: Date | null }> {
    const [active, oldest] = await Promise.all([this.redis.zcard(ACTIVE_KEY), this.redis.zrange(ACTIVE_KEY, '0', '0', 'WITHSCORES')]);
    return { active, oldestWriteAt: oldest[1] === undefined ? null : new Date(Number(oldest[1])) };
  }

  /**
   * Erasing a user: deletes their cart, their checkouts (found through their idempotency keys and
   * the running marker) and those keys. Refused while one of their checkouts is still running
   * (`CheckoutStillRunning`): the erasure is then tried again, once the saga has ended it.
   */
  async eraseUser(userId: string): Promise<{ carts: number; checkouts: number; checkoutKeys: number }> {
    const keyKeys: string[] = [];
    let cursor = '0';
    do {
      // SCAN's pattern is not prefixed by the client (DEL's keys are): match the stored name, keep ours.
      const [next, found] = await this.redis.scan(cursor, 'MATCH', `${CART_KEY_PREFIX}${idempotencyKeyKey(userId, '*')}`, 'COUNT', 1000);
      cursor = next;
      for (const key of found) keyKeys.push(key.slice(CART_KEY_PREFIX.length));
    } while (cursor !== '0');
    const ids = new Set<string>();
    for (const id of await Promise.all([...keyKeys.map((key) => this.redis.get(key)), this.redis.get(runningKey(userId))])) if (id) ids.add(id);
    const checkouts = (await Promise.all([...ids].map((id) => this.get(id)))).filter((c): c is CheckoutRecord => c !== null && c.userId === userId);
    const running = checkouts.find((c) => !isTerminal(c.status));
    if (running) throw new CheckoutStillRunning(running.checkoutId);
    const keys = [cartKey(userId), runningKey(userId), ...keyKeys, ...checkouts.flatMap((c) => [checkoutKey(c.checkoutId), leaseKey(c.checkoutId)])];
    const carts = await this.redis.exists(cartKey(userId));
    await this.redis.del(...keys);
    return { carts, checkouts: checkouts.length, checkoutKeys: keyKeys.length };
  }

  async acquireLease(checkoutId: string, owner: string): Promise<boolean> {
    return (await this.redis.set(leaseKey(checkoutId), owner, 'PX', this.config.checkout.leaseMs, 'NX')) === 'OK';
  }

  async renewLease(checkoutId: string, owner: string): Promise<boolean> {
    return (await this.redis.checkoutRenewLease(leaseKey(checkoutId), owner, this.config.checkout.leaseMs)) === 1;
  }

  async releaseLease(checkoutId: string, owner: string): Promise<void> {
    await this.redis.checkoutReleaseLease(leaseKey(checkoutId), owner);
  }
}

const ACTIVE_KEY = 'checkouts-active';
const checkoutKey = (id: string) => `checkouts:${id}`;
const leaseKey = (id: string) => `checkout-leases:${id}`;
const runningKey = (userId: string) => `checkout-running:${userId}`;
const idempotencyKeyKey = (userId: string, key: string) => `checkout-keys:${userId}:${key}`;
