import { Module, type DynamicModule } from '@nestjs/common';
import { OrdersEvents, ProductsEvents, UsersEvents, eventSubject } from '@polystore/contracts';
import {
  MetricsModule,
  NatsModule,
  createHealthController,
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
import { ConversationsService } from './api/conversations.service.js';
import { MessagingController } from './api/messaging.controller.js';
import { NotificationsService } from './api/notifications.service.js';
import { MESSAGING_CONFIG, type MessagingConfig } from './config.js';
import { NotificationHandlers } from './events/notification-handlers.js';
import { ConversationsStore } from './store/conversations.store.js';
import { ensureIndexes } from './store/indexes.js';
import { MessagingMongo } from './store/messaging-mongo.js';
import { NotificationsStore } from './store/notifications.store.js';
import { MessagingOutbox } from './store/outbox.js';
import { MessagingUserData } from './events/user-erasure.js';
import { MessagingReferences } from './api/references.service.js';
import { MessagingReferencesStore } from './store/references.store.js';
import { UserDataStore } from './store/user-data.store.js';
import { WatchesStore } from './store/watches.store.js';
import { readMessagingUsage } from './store/usage.js';

/** messaging: notifications (fed by other services' events), product watches and direct conversations, in MongoDB. */
@Module({})
export class MessagingModule {
  static forRoot(config: MessagingConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: MessagingModule,
      imports: [NatsModule.forRoot(options.nats ?? appNatsSettings('messaging'), 5_000), MetricsModule.forRoot('messaging')],
      controllers: [MessagingController, createHealthController('messaging'), createReferencesController('messaging', MessagingReferences)],
      providers: [
        { provide: MESSAGING_CONFIG, useValue: config },
        MessagingMongo,
        // The numbered index steps; creating an index that exists is a no-op, so concurrent starts are fine.
        schemaSetup((mongo: MessagingMongo) => ensureIndexes(mongo.connection), [MessagingMongo]),
        ...storeAvailability((mongo: MessagingMongo) => mongo.availability, [MessagingMongo]),
        NotificationsStore,
        WatchesStore,
        ConversationsStore,
        NotificationsService,
        ConversationsService,
        NotificationHandlers,
        UserDataStore,
        MessagingUserData,
        MessagingReferencesStore,
        MessagingReferences,
        ...erasureParticipant({ service: 'messaging', eraser: MessagingUserData }),
        eventConsumers({
          service: 'messaging',
          handlers: NotificationHandlers,
          // One subject each: nats-server 2.9 (Debian's) filters a consumer on one subject only.
          consumers: [
            {
              durable: 'messaging-welcome',
              producer: 'users',
              subjects: [eventSubject('users', UsersEvents.UserRegistered.type, UsersEvents.UserRegistered.version)],
            },
            { durable: 'messaging-checkouts', producer: 'cart', subjects: ['events.cart.>'] },
            {
              durable: 'messaging-cancelled-orders',
              producer: 'orders',
              subjects: [eventSubject('orders', OrdersEvents.OrderCancelled.type, OrdersEvents.OrderCancelled.version)],
            },
            {
              durable: 'messaging-price-drops',
              producer: 'products',
              subjects: [eventSubject('products', ProductsEvents.ProductPriceChanged.type, ProductsEvents.ProductPriceChanged.version)],
            },
          ],
        }),
        outboxRelay({
          producer: 'messaging',
          outbox: (conversations: ConversationsStore) => new MessagingOutbox(conversations),
          inject: [ConversationsStore],
          options: { batchSize: 100, pollIntervalMs: 5_000, maxBackoffMs: 5_000 },
        }),
        healthProbes((store: MessagingMongo) => [{ name: 'mongodb', check: () => store.ping() }], [MessagingMongo]),
        storeUsage((store: MessagingMongo) => () => readMessagingUsage(store), [MessagingMongo]),
      ],
    };
  }
}
