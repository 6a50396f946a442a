import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  ProductsEvents,
  eventStreamName,
  type EventEnvelope,
  type ProductDeletedV1,
  type ProductPriceChangedV1,
  type ProductUpdatedV1,
} from '@polystore/contracts';
import { EventConsumer, NatsLink, startWhenStreamExists, type Inbox } from '@polystore/platform';
import { CartsStore } from '../store/carts.store.js';

/**
 * Snapshot writes are idempotent by themselves (a snapshot only ever moves to a newer product
 * version), so a redelivered event changes nothing: no separate inbox record is needed.
 */
const versionGuardedEffects: Inbox<void> = {
  async once(_consumer, _eventId, effect) {
    await effect(undefined);
    return true;
  },
};

/** Keeps cart's product snapshots current from products' events (only for products carts know). */
@Injectable()
export class ProductSnapshotsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ProductSnapshotsConsumer');
  private consumer: EventConsumer<void> | null = null;
  private cancelStart: () => void = () => undefined;

  constructor(
    @Inject(CartsStore) private readonly carts: CartsStore,
    @Inject(NatsLink) private readonly nats: NatsLink,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const stream = eventStreamName('products');
    this.cancelStart = await startWhenStreamExists(stream, async () => {
      const consumer = new EventConsumer<void>(this.nats.connection, {
        service: 'cart',
        durable: 'cart-product-snapshots',
        stream,
        subjects: ['events.products.>'],
        inbox: versionGuardedEffects,
        handle: (event) => this.apply(event),
      });
      await consumer.start();
      this.consumer = consumer;
    }, this.logger);
  }

  async onApplicationShutdown(): Promise<void> {
    this.cancelStart();
    await this.consumer?.stop();
  }

  async apply(event: EventEnvelope): Promise<void> {
    switch (event.type) {
      case ProductsEvents.ProductUpdated.type: {
        const d = event.data as ProductUpdatedV1;
        await this.carts.putSnapshot({ productId: d.productId, name: d.name, priceCents: d.priceCents, currency: d.currency, version: d.version, deleted: false }, true);
        return;
      }
      case ProductsEvents.ProductPriceChanged.type: {
        const d = event.data as ProductPriceChangedV1;
        await this.carts.putSnapshot({ productId: d.productId, name: d.name, priceCents: d.newPriceCents, currency: d.currency, version: d.version, deleted: false }, true);
        return;
      }
      case ProductsEvents.ProductDeleted.type: {
        const d = event.data as ProductDeletedV1;
        const known = (await this.carts.snapshots([d.productId])).get(d.productId);
        if (known) await this.carts.putSnapshot({ ...known, version: d.version, deleted: true }, true);
        return;
      }
      default:
        return; // other product events do not concern carts
    }
  }
}
