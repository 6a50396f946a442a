import { Module, type DynamicModule } from '@nestjs/common';
import {
  MetricsModule,
  NatsModule,
  StoreAvailability,
  appNatsSettings,
  createHealthController,
  healthProbes,
  schemaSetup,
  storeAvailability,
  storeUsage,
  storeProbeSettings,
  type NatsSettings,
} from '@polystore/platform';
import { ItemsController } from './api/items.controller.js';
import { ItemsService } from './api/items.service.js';
import { ORDERS_CONFIG, type OrdersConfig } from './config.js';
import { ItemsStore } from './store/items.store.js';
import { OrdersDatabase } from './store/orders-database.js';
import { setUpOrdersSchema } from './store/schema.js';
import { readOrdersUsage } from './store/usage.js';

/** orders: owns its PostgreSQL database; talks to other services only over NATS. */
@Module({})
export class OrdersModule {
  static forRoot(config: OrdersConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: OrdersModule,
      imports: [NatsModule.forRoot(options.nats ?? appNatsSettings('orders'), 5_000), MetricsModule.forRoot('orders')],
      controllers: [ItemsController, createHealthController('orders')],
      providers: [
        { provide: ORDERS_CONFIG, useValue: config },
        OrdersDatabase,
        ItemsStore,
        ItemsService,
        schemaSetup((store: OrdersDatabase) => setUpOrdersSchema(store), [OrdersDatabase]),
        healthProbes((store: OrdersDatabase) => [{ name: 'postgres', check: () => store.ping() }], [OrdersDatabase]),
        storeUsage((store: OrdersDatabase) => () => readOrdersUsage(store), [OrdersDatabase]),
        // Requests answer UNAVAILABLE at once while the store does not answer its heartbeat (docs/architecture.md, "Fail fast").
        ...storeAvailability(
          (store: OrdersDatabase) => new StoreAvailability({ store: 'postgres', probe: () => store.ping(), ...storeProbeSettings('orders') }),
          [OrdersDatabase],
        ),
      ],
    };
  }
}
