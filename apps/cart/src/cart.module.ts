import { Module, type DynamicModule } from '@nestjs/common';
import { HEALTH_PROBES, NatsModule, createHealthController, natsSettings, type HealthProbe, type NatsSettings } from '@polystore/platform';
import { CART_CONFIG, type CartConfig } from './config.js';
import { CartRedis } from './store/cart-redis.js';

/**
 * cart: carts, the checkout saga and product price snapshots, in Redis. Connected to its store
 * and NATS; its carts and saga arrive with their own issue.
 */
@Module({})
export class CartModule {
  static forRoot(config: CartConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: CartModule,
      imports: [NatsModule.forRoot(options.nats ?? natsSettings('CART', 'cart'), 5_000)],
      controllers: [createHealthController('cart')],
      providers: [
        { provide: CART_CONFIG, useValue: config },
        CartRedis,
        {
          provide: HEALTH_PROBES,
          useFactory: (store: CartRedis): HealthProbe[] => [{ name: 'redis', check: () => store.ping() }],
          inject: [CartRedis],
        },
      ],
    };
  }
}
