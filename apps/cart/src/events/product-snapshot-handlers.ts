import { Inject, Injectable } from '@nestjs/common';
import { ProductsEvents } from '@polystore/contracts';
import { NO_INBOX, type EventHandlerSet, type EventHandlers } from '@polystore/platform';
import { CartsStore } from '../store/carts.store.js';

/** Keeps cart's product snapshots current from products' events (only for products carts know). */
@Injectable()
export class ProductSnapshotHandlers implements EventHandlerSet<void> {
  /**
   * Snapshot writes are idempotent by themselves (a snapshot only ever moves to a newer product
   * version), so a redelivered event changes nothing: no separate inbox record is needed.
   */
  readonly inbox = NO_INBOX;

  /** Other product events do not concern carts. */
  readonly handlers: EventHandlers = {
    [ProductsEvents.ProductUpdated.type]: async ({ data: d }) => {
      await this.carts.putSnapshot(
        { productId: d.productId, name: d.name, priceCents: d.priceCents, currency: d.currency, version: d.version, deleted: false },
        true,
      );
    },
    [ProductsEvents.ProductPriceChanged.type]: async ({ data: d }) => {
      await this.carts.putSnapshot(
        { productId: d.productId, name: d.name, priceCents: d.newPriceCents, currency: d.currency, version: d.version, deleted: false },
        true,
      );
    },
    [ProductsEvents.ProductDeleted.type]: async ({ data: d }) => {
      const known = (await this.carts.snapshots([d.productId])).get(d.productId);
      if (known) await this.carts.putSnapshot({ ...known, version: d.version, deleted: true }, true);
    },
  };

  constructor(@Inject(CartsStore) private readonly carts: CartsStore) {}
}
