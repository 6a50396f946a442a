import { Module, type DynamicModule } from '@nestjs/common';
import {
  MetricsModule,
  NatsModule,
  appNatsSettings,
  createHealthController,
  createReferencesController,
  erasureParticipant,
  eventConsumers,
  healthProbes,
  outboxRelay,
  schemaSetup,
  storeAvailability,
  storeUsage,
  type NatsSettings,
} from '@polystore/platform';
import { OrdersController } from './api/orders.controller.js';
import { OrdersService } from './api/orders.service.js';
import { ORDERS_CONFIG, type OrdersConfig } from './config.js';
import { ORDERS_CONSUMERS, OrdersEventHandlers } from './events/orders-event-handlers.js';
import { CustomersStore } from './store/customers.store.js';
import { OrderEventStore } from './store/event-store.js';
import { OrdersDatabase } from './store/orders-database.js';
import { ordersOutbox } from './store/outbox.js';
import { OrderProjections } from './store/projections.js';
import { setUpOrdersSchema } from './store/schema.js';
import { readOrdersUsage } from './store/usage.js';
import { OrdersUserData } from './store/user-data.eraser.js';
import { OrdersReferences } from './store/references.store.js';

/** orders: event-sourced orders in its own PostgreSQL database; talks to other services only over NATS. */
@Module({})
export class OrdersModule {
  static forRoot(config: OrdersConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: OrdersModule,
      imports: [NatsModule.forRoot(options.nats ?? appNatsSettings('orders'), 5_000), MetricsModule.forRoot('orders')],
      controllers: [OrdersController, createHealthController('orders'), createReferencesController('orders', OrdersReferences)],
      providers: [
        { provide: ORDERS_CONFIG, useValue: config },
        OrdersDatabase,
        schemaSetup((store: OrdersDatabase) => setUpOrdersSchema(store), [OrdersDatabase]),
        // Requests answer UNAVAILABLE at once while the store does not answer its heartbeat (docs/architecture.md, "Fail fast").
        ...storeAvailability((db: OrdersDatabase) => db.availability, [OrdersDatabase]),
        OrderEventStore,
        OrderProjections,
        CustomersStore,
        OrdersService,
        OrdersEventHandlers,
        eventConsumers({ service: 'orders', handlers: OrdersEventHandlers, consumers: ORDERS_CONSUMERS }),
        OrdersUserData,
        OrdersReferences,
        ...erasureParticipant({ service: 'orders', eraser: OrdersUserData }),
        outboxRelay({
          producer: 'orders',
          outbox: (db: OrdersDatabase) => ordersOutbox(db),
          inject: [OrdersDatabase],
          options: { batchSize: config.outboxBatchSize, pollIntervalMs: config.outboxPollMs, maxBackoffMs: 5_000 },
        }),
        healthProbes((store: OrdersDatabase) => [{ name: 'postgres', check: () => store.ping() }], [OrdersDatabase]),
        storeUsage((store: OrdersDatabase) => () => readOrdersUsage(store), [OrdersDatabase]),
      ],
    };
  }
}
