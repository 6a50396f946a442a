import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NatsLink, OutboxRelay } from '@polystore/platform';
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
    this.relay = await OutboxRelay.startFor(this.nats.connection, 'products', new ProductsOutbox(this.search, [this.store, this.reservations]), {
      batchSize: 100,
      pollIntervalMs: 1_000,
      maxBackoffMs: 5_000,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
