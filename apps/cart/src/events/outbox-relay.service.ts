import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NatsLink, OutboxRelay } from '@polystore/platform';
import { CartOutbox } from '../store/cart-outbox.js';

/** Runs the cart outbox relay for the life of the service. */
@Injectable()
export class CartOutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private relay: OutboxRelay | null = null;

  constructor(
    @Inject(CartOutbox) private readonly outbox: CartOutbox,
    @Inject(NatsLink) private readonly nats: NatsLink,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Other instances' writes are seen by the poll; this process's wake the relay at once.
    this.relay = await OutboxRelay.startFor(this.nats.connection, 'cart', this.outbox, { batchSize: 200, pollIntervalMs: 500, maxBackoffMs: 5_000 });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
