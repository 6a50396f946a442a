import { Module, type DynamicModule } from '@nestjs/common';
import { HEALTH_PROBES, NatsModule, createHealthController, natsSettings, type HealthProbe, type NatsSettings } from '@polystore/platform';
import { CartController } from './api/cart.controller.js';
import { CartService } from './api/cart.service.js';
import { CART_CONFIG, type CartConfig } from './config.js';
import { ProductSnapshotsConsumer } from './events/product-snapshots.consumer.js';
import { CartRedis } from './store/cart-redis.js';
import { CartsStore } from './store/carts.store.js';

/** cart: carts, product price snapshots (a read model fed by products' events) and, next, the checkout saga, in Redis. */
@Module({})
export class CartModule {
  static forRoot(config: CartConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: CartModule,
      imports: [NatsModule.forRoot(options.nats ?? natsSettings('CART', 'cart'), 5_000)],
      controllers: [CartController, createHealthController('cart')],
      providers: [
        { provide: CART_CONFIG, useValue: config },
        CartRedis,
        CartsStore,
        CartService,
        ProductSnapshotsConsumer,
        {
          provide: HEALTH_PROBES,
          useFactory: (store: CartRedis): HealthProbe[] => [{ name: 'redis', check: () => store.ping() }],
          inject: [CartRedis],
        },
      ],
    };
  }
}
