import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '@polystore/contracts';
import type { EventEnvelope } from '@polystore/contracts';
import type { Redis } from 'ioredis';
import type { ProductSnapshot } from '../domain/cart.js';
import { CART_CONFIG, type CartConfig } from '../config.js';
import { CartOutbox, OUTBOX_KEY } from './cart-outbox.js';
import { CART_KEY_PREFIX, CartRedis } from './cart-redis.js';

/** Lua scripts: each cart change is one atomic step on the server, whatever runs concurrently. */
const ADD_LINE = `
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local wanted = current + tonumber(ARGV[2])
if wanted > tonumber(ARGV[3]) then return -1 end
if current == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return -2 end
redis.call('HSET', KEYS[1], ARGV[1], wanted)
redis.call('EXPIRE', KEYS[1], ARGV[5])
local event = cjson.decode(ARGV[6])
event.data.lineQuantity = wanted
redis.call('RPUSH', KEYS[2], cjson.encode(event))
return wanted`;

const SET_LINE = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -3 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return tonumber(ARGV[2])`;

/** Newer versions only, so a redelivered or late event can never roll a snapshot back. */
const PUT_SNAPSHOT = `
local known = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
if tonumber(ARGV[1]) <= known then return 0 end
if ARGV[6] == 'existing' and known == -1 then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'name', ARGV[2], 'priceCents', ARGV[3], 'currency', ARGV[4], 'deleted', ARGV[5])
return 1`;

/**
 * A cart and the snapshots of its products in one step (one command instead of one for the cart
 * and then one per line: `GET /cart` is the hot read). The snapshots' keys come from the cart's
 * own lines, so the script names them itself, from the prefix it is given (ARGV[1]): fine on one
 * Redis server, which is how cart runs (a cluster would need the keys up front).
 */
const READ_CART = `
local lines = redis.call('HGETALL', KEYS[1])
local out = { lines }
for i = 1, #lines, 2 do
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. lines[i])
end
return out`;

export type AddOutcome = { ok: true; quantity: number } | { ok: false; reason: 'quantity-limit' | 'line-limit' };

interface CartCommands {
  cartAddLine(
    key: string,
    outbox: string,
    productId: string,
    quantity: number,
    max: number,
    maxLines: number,
    ttl: number,
    event: string,
  ): Promise<number>;
  cartSetLine(key: string, productId: string, quantity: number, ttl: number): Promise<number>;
  cartPutSnapshot(key: string, version: number, name: string, priceCents: number, currency: string, deleted: string, mode: string): Promise<number>;
  cartRead(key: string, snapshotKeyPrefix: string): Promise<string[][]>;
}

/** Carts (`cart:carts:<user>`, hash product → quantity) and product snapshots (`cart:products:<id>`). */
@Injectable()
export class CartsStore {
  private readonly redis: Redis & CartCommands;
  private readonly ttlSeconds: number;

  constructor(
    @Inject(CartRedis) store: CartRedis,
    @Inject(CartOutbox) private readonly outbox: CartOutbox,
    @Inject(CART_CONFIG) config: CartConfig,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    this.redis = store.redis as Redis & CartCommands;
    this.ttlSeconds = config.cartTtlDays * 24 * 3600;
    this.redis.defineCommand('cartAddLine', { numberOfKeys: 2, lua: ADD_LINE });
    this.redis.defineCommand('cartSetLine', { numberOfKeys: 1, lua: SET_LINE });
    this.redis.defineCommand('cartPutSnapshot', { numberOfKeys: 1, lua: PUT_SNAPSHOT });
    this.redis.defineCommand('cartRead', { numberOfKeys: 1, lua: READ_CART });
    timeStoreCalls(this, 'carts', metrics);
  }

  /** Adds units to a line and, in the same step, puts `added` (its lineQuantity filled in) in the outbox. */
  async addLine(userId: string, productId: string, quantity: number, added: EventEnvelope): Promise<AddOutcome> {
    const result = await this.redis.cartAddLine(
      cartKey(userId),
      OUTBOX_KEY,
      productId,
      quantity,
      MAX_LINE_QUANTITY,
      MAX_CART_LINES,
      this.ttlSeconds,
      JSON.stringify(added),
    );
    if (result === -1) return { ok: false, reason: 'quantity-limit' };
    if (result === -2) return { ok: false, reason: 'line-limit' };
    this.outbox.written();
    return { ok: true, quantity: result };
  }

  /** False when the cart has no such line. */
  async setLine(userId: string, productId: string, quantity: number): Promise<boolean> {
    return (await this.redis.cartSetLine(cartKey(userId), productId, quantity, this.ttlSeconds)) !== -3;
  }

  async removeLine(userId: string, productId: string): Promise<void> {
    await this.redis.multi().hdel(cartKey(userId), productId).expire(cartKey(userId), this.ttlSeconds).exec();
  }

  async clear(userId: string): Promise<void> {
    await this.redis.del(cartKey(userId));
  }

  /** The cart's lines (product → quantity) and the snapshots of those products that cart has. */
  async read(userId: string): Promise<{ lines: Record<string, number>; snapshots: Map<string, ProductSnapshot> }> {
    const [flatLines = [], ...flatSnapshots] = await this.redis.cartRead(cartKey(userId), CART_KEY_PREFIX + snapshotKey(''));
    const lines: Record<string, number> = {};
    const snapshots = new Map<string, ProductSnapshot>();
    for (let i = 0; i < flatLines.length; i += 2) {
      const productId = flatLines[i]!;
      lines[productId] = Number(flatLines[i + 1]);
      const snapshot = snapshotOf(productId, pairsToRecord(flatSnapshots[i / 2] ?? []));
      if (snapshot) snapshots.set(productId, snapshot);
    }
    return { lines, snapshots };
  }

  async snapshots(productIds: string[]): Promise<Map<string, ProductSnapshot>> {
    const pipeline = this.redis.pipeline();
    for (const id of productIds) pipeline.hgetall(snapshotKey(id));
    const results = (await pipeline.exec()) ?? [];
    const map = new Map<string, ProductSnapshot>();
    productIds.forEach((id, i) => {
      const snapshot = snapshotOf(id, results[i]?.[1] as Record<string, string> | undefined);
      if (snapshot) map.set(id, snapshot);
    });
    return map;
  }

  /** Writes a snapshot if newer; `onlyIfKnown` keeps snapshots to products some cart has seen. */
  async putSnapshot(s: ProductSnapshot, onlyIfKnown = false): Promise<boolean> {
    const applied = await this.redis.cartPutSnapshot(
      snapshotKey(s.productId),
      s.version,
      s.name,
      s.priceCents,
      s.currency,
      s.deleted ? '1' : '0',
      onlyIfKnown ? 'existing' : 'any',
    );
    return applied === 1;
  }
}

export const cartKey = (userId: string) => `carts:${userId}`;

/** A product's snapshot from its hash, or undefined when cart has none (no version written). */
function snapshotOf(productId: string, h: Record<string, string> | undefined): ProductSnapshot | undefined {
  if (!h || h.version === undefined) return undefined;
  return {
    productId,
    name: h.name ?? '',
    priceCents: Number(h.priceCents),
    currency: h.currency ?? '',
    version: Number(h.version),
    deleted: h.deleted === '1',
  };
}

/** `[field, value, field, value…]` (a Lua script's HGETALL) as a record. */
function pairsToRecord(pairs: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i += 2) record[pairs[i]!] = pairs[i + 1]!;
  return record;
}
const snapshotKey = (productId: string) => `products:${productId}`;
