import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventPublisher, NatsLink, OutboxRelay, ensureEventStream } from '@polystore/platform';
import { ProductsOutbox } from '../store/outbox.js';
import { ProductsSearch } from '../store/products-search.js';
import { ProductsStore } from '../store/products.store.js';
import { ReservationsStore } from '../store/reservations.store.js';

/** Runs the products outbox relay for the life of the service. */
@Injectable()
export class ProductsOutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private relay: OutboxRelay | null = null;

  constructor(
    @Inject(ProductsSearch) private readonly search: ProductsSearch,
    @Inject(ProductsStore) private readonly store: ProductsStore,
    @Inject(ReservationsStore) private readonly reservations: ReservationsStore,
    @Inject(NatsLink) private readonly nats: NatsLink,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureEventStream(this.nats.connection, 'products');
    this.relay = new OutboxRelay(
      new ProductsOutbox(this.search, [this.store, this.reservations]),
      new EventPublisher(this.nats.connection),
      { batchSize: 100, pollIntervalMs: 1_000, maxBackoffMs: 5_000 },
      'products',
    );
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
