import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NatsLink, OutboxRelay } from '@polystore/platform';
import { ConversationsStore } from '../store/conversations.store.js';
import { MessagingOutbox } from '../store/outbox.js';

/** Runs the messaging outbox relay (MessageSent) for the life of the service. */
@Injectable()
export class MessagingOutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private relay: OutboxRelay | null = null;

  constructor(
    @Inject(ConversationsStore) private readonly store: ConversationsStore,
    @Inject(NatsLink) private readonly nats: NatsLink,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay = await OutboxRelay.startFor(this.nats.connection, 'messaging', new MessagingOutbox(this.store), {
      batchSize: 100,
      pollIntervalMs: 5_000,
      maxBackoffMs: 5_000,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
