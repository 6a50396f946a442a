import { Module, type DynamicModule } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ErasureEvents, OrdersEvents, TOKEN_ALGORITHM, eventSubject } from '@polystore/contracts';
import { ERASURE_PARTICIPANTS } from '@polystore/manifest';
import {
  MetricsModule,
  NatsModule,
  createHealthController,
  createIdOwnerController,
  eventConsumers,
  healthProbes,
  appNatsSettings,
  outboxRelay,
  schemaSetup,
  storeAvailability,
  storeUsage,
  type NatsSettings,
} from '@polystore/platform';
import { AccountsController } from './api/accounts.controller.js';
import { AccountsService } from './api/accounts.service.js';
import { ErasureController } from './api/erasure.controller.js';
import { ErasureService } from './api/erasure.service.js';
import { WalletController } from './api/wallet.controller.js';
import { USERS_CONFIG, type UsersConfig } from './config.js';
import { ErasureAnswers } from './events/erasure-answers.js';
import { OrderRefundHandlers } from './events/order-refund-handlers.js';
import { AccountsStore } from './store/accounts.store.js';
import { ErasuresStore } from './store/erasures.store.js';
import { UsersKnownIds } from './store/known-ids.js';
import { migrateUsersDatabase } from './store/migrate.js';
import { usersOutbox } from './store/outbox.js';
import { UsersDatabase } from './store/users-database.js';
import { WalletStore } from './store/wallet.store.js';
import { readUsersUsage } from './store/usage.js';
@Module({})
export class UsersModule {
  static forRoot(config: UsersConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: UsersModule,
      imports: [
        NatsModule.forRoot(options.nats ?? appNatsSettings('users'), 5_000),
        MetricsModule.forRoot('users'),
        JwtModule.register({ privateKey: config.jwtPrivateKey, signOptions: { algorithm: TOKEN_ALGORITHM } }),
      ],
      controllers: [
        AccountsController,
        WalletController,
        ErasureController,
        createHealthController('users'),
        createIdOwnerController('users', UsersKnownIds),
      ],
      providers: [
        { provide: USERS_CONFIG, useValue: config },
        // Prisma's migrations, applied under its advisory lock, so instances starting together take turns.
        schemaSetup(() => migrateUsersDatabase(config.databaseUrl, config.migrationsDir), []),
        UsersDatabase,
        ...storeAvailability((db: UsersDatabase) => db.availability, [UsersDatabase]),
        AccountsStore,
        WalletStore,
        UsersKnownIds,
        AccountsService,
        OrderRefundHandlers,
        eventConsumers({
          service: 'users',
          handlers: OrderRefundHandlers,
          consumers: [
            {
              durable: 'users-order-refunds',
              producer: 'orders',
              subjects: [eventSubject('orders', OrdersEvents.OrderCancellationRequested.type, OrdersEvents.OrderCancellationRequested.version)],
            },
          ],
        }),
        ErasuresStore,
        ErasureService,
        ErasureAnswers,
        // Every erasure participant's answer, from its own stream (the manifest's holdsUserData).
        eventConsumers({
          service: 'users',
          handlers: ErasureAnswers,
          consumers: ERASURE_PARTICIPANTS.map((producer) => ({
            durable: 'users-erasure-answers',
            producer,
            subjects: [eventSubject(producer, ErasureEvents.UserErased.type, ErasureEvents.UserErased.version)],
          })),
        }),
        outboxRelay({
          producer: 'users',
          outbox: (db: UsersDatabase) => usersOutbox(db),
          inject: [UsersDatabase],
          options: { batchSize: config.outboxBatchSize, pollIntervalMs: config.outboxPollMs, maxBackoffMs: 5_000 },
        }),
        healthProbes((db: UsersDatabase) => [{ name: 'postgres', check: () => db.ping() }], [UsersDatabase]),
        storeUsage((db: UsersDatabase) => () => readUsersUsage(db), [UsersDatabase]),
      ],
    };
  }
}
