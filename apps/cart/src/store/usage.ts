import type { StoreUsage } from '@polystore/platform';
import type { CartRedis } from './cart-redis.js';

/**
 * cart's Redis: the append-only file's size (the data on disk; the server keeps AOF on), its keys,
 * no index. The server is cart's alone, so DBSIZE counts cart's keys only.
 */
export async function readCartUsage(store: CartRedis): Promise<StoreUsage> {
  const [persistence, keys] = await Promise.all([store.redis.info('persistence'), store.redis.dbsize()]);
  const aofBytes = /^aof_current_size:(\d+)/m.exec(persistence)?.[1];
  return { diskBytes: Number(aofBytes ?? 0), items: keys, itemKind: 'keys', indexBytes: 0 };
}
