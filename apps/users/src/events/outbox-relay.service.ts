import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NatsLink, OutboxRelay } from '@polystore/platform';
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
    this.relay = await OutboxRelay.startFor(this.nats.connection, 'users', new PostgresOutbox(this.db.prisma, this.config.databaseUrl), {
      batchSize: this.config.outboxBatchSize,
      pollIntervalMs: this.config.outboxPollMs,
      maxBackoffMs: 5_000,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
