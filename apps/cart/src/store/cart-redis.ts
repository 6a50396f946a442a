import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { StoreAvailability, storeProbeSettings } from '@polystore/platform';
import { Redis } from 'ioredis';
import { CART_CONFIG, type CartConfig } from '../config.js';

/** Every key cart writes lives under this prefix; its Redis ACL user can touch nothing else. */
export const CART_KEY_PREFIX = 'cart:';

/**
 * cart's only connection to Redis, and what cart knows of Redis's availability.
 *
 * Fail fast, and never apply a write the caller was told failed: a command is never queued while
 * the connection is down (`enableOfflineQueue: false`, it fails at once), never re-sent after a
 * reconnect (`autoResendUnfulfilledCommands: false`), and gives up after `commandTimeout`. A command
 * already on the wire when Redis froze may still run when it thaws: its caller got UNAVAILABLE
 * ("outcome unknown"). Each write is one Lua script (all or nothing), and the saga's are guarded by
 * the checkout's revision, so such a late write is applied at most once and the saga, which never
 * takes a failed save for a failed step (it pauses; recovery re-reads the checkout and resumes from
 * what Redis holds), goes on from whichever state it finds. See docs/architecture.md, "Fail fast".
 */
@Injectable()
export class CartRedis implements OnApplicationShutdown {
  readonly redis: Redis;
  readonly availability: StoreAvailability;

  constructor(@Inject(CART_CONFIG) config: CartConfig) {
    const timing = storeProbeSettings('cart');
    this.redis = new Redis(config.redisUrl, {
      keyPrefix: CART_KEY_PREFIX,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: timing.operationTimeoutMs,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      lazyConnect: false,
      // Commands issued in the same tick by concurrent requests go out in one write: under load a
      // profile showed cart's time in socket writes, one per command.
      enableAutoPipelining: true,
    });
    this.availability = new StoreAvailability({
      store: 'redis',
      probe: () => this.ping(),
      probeDeadlineMs: timing.probeDeadlineMs,
      probeIntervalMs: timing.probeIntervalMs,
    });
    this.redis.on('error', () => undefined); // reconnects on its own; availability and health report the state
    this.redis.on('close', () => this.availability.markDown('connection to Redis closed'));
    this.redis.on('ready', () => this.availability.markUp());
  }

  /** Waits for the first connection (commands are not queued before it): cart's store setup. */
  async connected(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.redis.status !== 'ready') {
      if (Date.now() > deadline) throw new Error(`Redis did not accept a connection within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async ping(): Promise<void> {
    const pong = await this.redis.ping();
    if (pong !== 'PONG') throw new Error(`unexpected PING reply ${pong}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.availability.stop();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
