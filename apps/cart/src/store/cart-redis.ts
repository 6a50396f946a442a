import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { CART_CONFIG, type CartConfig } from '../config.js';

/** Every key cart writes lives under this prefix; its Redis ACL user can touch nothing else. */
export const CART_KEY_PREFIX = 'cart:';

/** cart's only connection to Redis. */
@Injectable()
export class CartRedis implements OnApplicationShutdown {
  readonly redis: Redis;

  constructor(@Inject(CART_CONFIG) config: CartConfig) {
    this.redis = new Redis(config.redisUrl, {
      keyPrefix: CART_KEY_PREFIX,
      // Fail a command quickly while Redis is away instead of queueing it forever.
      maxRetriesPerRequest: 2,
      connectTimeout: 2_000,
      enableOfflineQueue: true,
      lazyConnect: false,
    });
    this.redis.on('error', () => undefined); // reconnects on its own; health reports the state
  }

  async ping(): Promise<void> {
    const pong = await this.redis.ping();
    if (pong !== 'PONG') throw new Error(`unexpected PING reply ${pong}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
