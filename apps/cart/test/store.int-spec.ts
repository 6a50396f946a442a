import { Redis } from 'ioredis';
import { otherServicesCredentials } from '../../../test/support/credentials.js';
import { loadCartConfig } from '../src/config.js';
import { CART_KEY_PREFIX, CartRedis } from '../src/store/cart-redis.js';

/** cart's Redis, reached with cart's own ACL user through ioredis. */
describe('cart store: Redis (integration)', () => {
  const config = loadCartConfig();
  let store: CartRedis;
  beforeAll(async () => {
    store = new CartRedis(config);
    await store.connected(); // commands are never queued before the connection (fail fast)
  });
  afterAll(() => store.onApplicationShutdown());

  it('writes and reads under its prefix, atomically, with expiry', async () => {
    const key = `test:${Date.now()}`;
    const [[, set], [, read]] = (await store.redis.multi().hset(key, { sku: 'A-1', qty: '2' }).hgetall(key).exec())!;
    expect(set).toBe(2);
    expect(read).toEqual({ sku: 'A-1', qty: '2' });
    await store.redis.expire(key, 60);
    expect(await store.redis.ttl(key)).toBeGreaterThan(50);
    const raw = new Redis(config.redisUrl);
    try {
      expect(await raw.exists(`${CART_KEY_PREFIX}${key}`)).toBe(1); // the prefix really is in the key
    } finally {
      raw.disconnect();
    }
  });

  it('appends every write to the AOF (the saga state must survive a restart)', async () => {
    const admin = new Redis(config.redisUrl);
    try {
      const info = await admin.info('persistence');
      expect(info).toMatch(/aof_enabled:1/);
    } finally {
      admin.disconnect();
    }
  });

  it('cannot touch keys outside cart:, nor administer the server', async () => {
    const raw = new Redis(config.redisUrl, { maxRetriesPerRequest: 0 });
    try {
      await expect(raw.set('users:1', 'x')).rejects.toThrow(/NOPERM/);
      await expect(raw.get('analytics:x')).rejects.toThrow(/NOPERM/);
      await expect(raw.flushall()).rejects.toThrow(/NOPERM/);
      await expect(raw.config('GET', 'dir')).rejects.toThrow(/NOPERM/);
    } finally {
      raw.disconnect();
    }
  });

  it('refuses the default user and every other service’s credentials', async () => {
    const url = new URL(config.redisUrl);
    /** What Redis answered to a read with these credentials (the auth error, when refused). */
    const attempt = async (username: string | undefined, password: string | undefined): Promise<string> => {
      const client = new Redis({
        host: url.hostname,
        port: Number(url.port),
        username,
        password,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        lazyConnect: true,
        enableReadyCheck: false,
      });
      const errors: string[] = [];
      client.on('error', (e: Error) => errors.push(e.message));
      try {
        await client.connect();
        return `read ${await client.get('cart:anything')}`;
      } catch (error) {
        return [...errors, (error as Error).message].join(' | ');
      } finally {
        client.disconnect();
      }
    };
    expect(await attempt(undefined, undefined)).toMatch(/NOAUTH/);
    for (const other of otherServicesCredentials('cart')) {
      expect(await attempt(other.user, other.password)).toMatch(/WRONGPASS/);
    }
    expect(await attempt(url.username, decodeURIComponent(url.password))).toBe('read null');
  });
});
