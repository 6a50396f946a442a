import { Inject, Injectable, Optional } from '@nestjs/common';
import type { IdsCheck, ServiceName } from '@polystore/contracts';
import { AppMetrics, timeStoreCalls, type IdOwner, type ReferenceHolder } from '@polystore/platform';
import { CartRedis, CART_KEY_PREFIX } from './cart-redis.js';
import { CheckoutsStore } from './checkouts.store.js';

/**
 * cart's side of `npm run reconcile`. It keeps ids of users (carts, checkouts and their keys, one
 * running checkout per user) and of products (cart lines, price snapshots); it owns checkout ids,
 * which products keeps on stock reservations.
 *
 * Finding them is a SCAN of the key space (and HKEYS of each cart for products): O(keys), done by an
 * operator's command, never on a request path.
 */
@Injectable()
export class CartReferences implements ReferenceHolder, IdOwner {
  constructor(
    @Inject(CartRedis) private readonly store: CartRedis,
    @Inject(CheckoutsStore) private readonly checkouts: CheckoutsStore,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'references', metrics);
  }

  async referencedIds(owner: ServiceName): Promise<string[]> {
    if (owner === 'users') {
      const ids = new Set<string>();
      for (const family of ['carts:', 'checkout-running:', 'checkout-keys:'])
        for (const key of await this.keys(`${family}*`)) ids.add(key.slice(family.length).split(':')[0]!);
      return [...ids];
    }
    const ids = new Set<string>();
    for (const key of await this.keys('products:*')) ids.add(key.slice('products:'.length));
    const carts = await this.keys('carts:*');
    const pipeline = this.store.redis.pipeline();
    for (const cart of carts) pipeline.hkeys(cart);
    for (const [, productIds] of (await pipeline.exec()) ?? []) for (const id of (productIds as string[] | null) ?? []) ids.add(id);
    return [...ids];
  }

  async repair(owner: ServiceName, ids: string[]): Promise<Record<string, number>> {
    if (owner === 'users') {
      // A user users does not know: what an erasure would remove (a checkout still running refuses, named).
      const counts: Record<string, number> = { carts: 0, checkouts: 0, checkoutKeys: 0 };
      for (const id of ids) for (const [kind, n] of Object.entries(await this.checkouts.eraseUser(id))) counts[kind] = (counts[kind] ?? 0) + n;
      return counts;
    }
    // Products products does not know (or deleted): their lines leave every cart, their snapshots go.
    const carts = await this.keys('carts:*');
    const pipeline = this.store.redis.pipeline();
    for (const cart of carts) pipeline.hdel(cart, ...ids);
    pipeline.del(...ids.map((id) => `products:${id}`));
    const results = (await pipeline.exec()) ?? [];
    const cartLines = results.slice(0, carts.length).reduce((sum, [, n]) => sum + Number(n ?? 0), 0);
    return { cartLines, snapshots: Number(results[carts.length]?.[1] ?? 0) };
  }

  /** Checkout ids (products' reservations) that cart has no record of. */
  async checkIds(ids: string[]): Promise<IdsCheck> {
    const pipeline = this.store.redis.pipeline();
    for (const id of ids) pipeline.exists(`checkouts:${id}`);
    const results = (await pipeline.exec()) ?? [];
    return { unknown: ids.filter((_, i) => Number(results[i]?.[1] ?? 0) === 0), erased: [] };
  }

  /** Keys (without the client's prefix) matching `pattern`. */
  private async keys(pattern: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      // SCAN's pattern is not prefixed by the client (the other commands' keys are): match the stored name.
      const [next, keys] = await this.store.redis.scan(cursor, 'MATCH', `${CART_KEY_PREFIX}${pattern}`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) found.push(key.slice(CART_KEY_PREFIX.length));
    } while (cursor !== '0');
    return found;
  }
}
