import { Module, type DynamicModule } from '@nestjs/common';
import {
  MetricsModule,
  NatsModule,
  createHealthController,
  createIdOwnerController,
  createReferencesController,
  erasureParticipant,
  eventConsumers,
  healthProbes,
  appNatsSettings,
  outboxRelay,
  schemaSetup,
  storeAvailability,
  storeUsage,
  type NatsSettings,
} from '@polystore/platform';
import { CartController } from './api/cart.controller.js';
import { CartService } from './api/cart.service.js';
import { CheckoutController } from './api/checkout.controller.js';
import { CheckoutSaga } from './api/checkout-saga.js';
import { CheckoutService } from './api/checkout.service.js';
import { CART_CONFIG, type CartConfig } from './config.js';
import { ProductSnapshotHandlers } from './events/product-snapshot-handlers.js';
import { CartOutbox } from './store/cart-outbox.js';
import { CartRedis } from './store/cart-redis.js';
import { CheckoutsStore } from './store/checkouts.store.js';
import { CartsStore } from './store/carts.store.js';
import { CartReferences } from './store/references.store.js';
import { readCartUsage } from './store/usage.js';

/** cart: carts, product price snapshots (a read model fed by products' events) and the checkout saga, in Redis. */
import { CartUserData } from './events/user-erasure.js';

@Module({})
export class CartModule {
  static forRoot(config: CartConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: CartModule,
      imports: [NatsModule.forRoot(options.nats ?? appNatsSettings('cart'), 5_000), MetricsModule.forRoot('cart')],
      controllers: [
        CartController,
        CheckoutController,
        createHealthController('cart'),
        createReferencesController('cart', CartReferences),
        createIdOwnerController('cart', CartReferences),
      ],
      providers: [
        { provide: CART_CONFIG, useValue: config },
        CartRedis,
        // No schema in Redis: the setup waits for the first connection (commands are never queued).
        schemaSetup((store: CartRedis) => store.connected(), [CartRedis]),
        ...storeAvailability((store: CartRedis) => store.availability, [CartRedis]),
        CartOutbox,
        CartsStore,
        CheckoutsStore,
        CartService,
        CheckoutSaga,
        CheckoutService,
        ProductSnapshotHandlers,
        CartUserData,
        CartReferences,
        ...erasureParticipant({ service: 'cart', eraser: CartUserData }),
        eventConsumers({
          service: 'cart',
          handlers: ProductSnapshotHandlers,
          consumers: [{ durable: 'cart-product-snapshots', producer: 'products', subjects: ['events.products.>'] }],
        }),
        outboxRelay({
          producer: 'cart',
          outbox: (outbox: CartOutbox) => outbox,
          inject: [CartOutbox],
          // Other instances' writes are seen by the poll; this process's wake the relay at once.
          options: { batchSize: 200, pollIntervalMs: 500, maxBackoffMs: 5_000 },
        }),
        healthProbes((store: CartRedis) => [{ name: 'redis', check: () => store.ping() }], [CartRedis]),
        storeUsage((store: CartRedis) => () => readCartUsage(store), [CartRedis]),
      ],
    };
  }
}
