import { Module, type DynamicModule } from '@nestjs/common';
import { HEALTH_PROBES, NatsModule, createHealthController, natsSettings, type HealthProbe, type NatsSettings } from '@polystore/platform';
import { ConversationsService } from './api/conversations.service.js';
import { MessagingController } from './api/messaging.controller.js';
import { NotificationsService } from './api/notifications.service.js';
import { MESSAGING_CONFIG, type MessagingConfig } from './config.js';
import { NotificationConsumers } from './events/notification-consumers.js';
import { MessagingOutboxRelay } from './events/outbox-relay.service.js';
import { ConversationsStore } from './store/conversations.store.js';
import { MessagingIndexes } from './store/indexes.provider.js';
import { MessagingMongo } from './store/messaging-mongo.js';
import { NotificationsStore } from './store/notifications.store.js';
import { WatchesStore } from './store/watches.store.js';

/** messaging: notifications (fed by other services' events), product watches and direct conversations, in MongoDB. */
@Module({})
export class MessagingModule {
  static forRoot(config: MessagingConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: MessagingModule,
      imports: [NatsModule.forRoot(options.nats ?? natsSettings('MESSAGING', 'messaging'), 5_000)],
      controllers: [MessagingController, createHealthController('messaging')],
      providers: [
        { provide: MESSAGING_CONFIG, useValue: config },
        MessagingMongo,
        MessagingIndexes,
        NotificationsStore,
        WatchesStore,
        ConversationsStore,
        NotificationsService,
        ConversationsService,
        NotificationConsumers,
        MessagingOutboxRelay,
        {
          provide: HEALTH_PROBES,
          useFactory: (store: MessagingMongo): HealthProbe[] => [{ name: 'mongodb', check: () => store.ping() }],
          inject: [MessagingMongo],
        },
      ],
    };
  }
}
