import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventPublisher, NatsLink, OutboxRelay, ensureEventStream } from '@polystore/platform';
import { USERS_CONFIG, type UsersConfig } from '../config.js';
import { PostgresOutbox } from '../store/outbox.js';
import { UsersDatabase } from '../store/users-database.js';

/** Runs the users outbox relay for the life of the service. */
@Injectable()
export class UsersOutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private relay: OutboxRelay | null = null;

  constructor(
    @Inject(USERS_CONFIG) private readonly config: UsersConfig,
    @Inject(UsersDatabase) private readonly db: UsersDatabase,
    @Inject(NatsLink) private readonly nats: NatsLink,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureEventStream(this.nats.connection, 'users');
    this.relay = new OutboxRelay(
      new PostgresOutbox(this.db.prisma, this.config.databaseUrl),
      new EventPublisher(this.nats.connection),
      { batchSize: this.config.outboxBatchSize, pollIntervalMs: this.config.outboxPollMs, maxBackoffMs: 5_000 },
      'users',
    );
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
