import { Module, type DynamicModule } from '@nestjs/common';
import { HEALTH_PROBES, NatsModule, createHealthController, natsSettings, type HealthProbe, type NatsSettings } from '@polystore/platform';
import { MESSAGING_CONFIG, type MessagingConfig } from './config.js';
import { MessagingMongo } from './store/messaging-mongo.js';

/**
 * messaging: notifications and conversations, in MongoDB. Connected to its store and NATS; its
 * features arrive with their own issue.
 */
@Module({})
export class MessagingModule {
  static forRoot(config: MessagingConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: MessagingModule,
      imports: [NatsModule.forRoot(options.nats ?? natsSettings('MESSAGING', 'messaging'), 5_000)],
      controllers: [createHealthController('messaging')],
      providers: [
        { provide: MESSAGING_CONFIG, useValue: config },
        MessagingMongo,
        {
          provide: HEALTH_PROBES,
          useFactory: (store: MessagingMongo): HealthProbe[] => [{ name: 'mongodb', check: () => store.ping() }],
          inject: [MessagingMongo],
        },
      ],
    };
  }
}
