import { Inject, Injectable } from '@nestjs/common';
import type { IdsCheck, ServiceName } from '@polystore/contracts';
import type { IdOwner, ReferenceHolder } from '@polystore/platform';
import { ProductsStore } from '../store/products.store.js';
import { ReservationsStore } from '../store/reservations.store.js';
import { StockService } from './stock.service.js';

/**
 * products' side of `npm run reconcile`. It owns product ids (carts and watches keep them); it
 * keeps checkout ids: a stock reservation is keyed by its checkout. A reservation still holding
 * stock for a checkout cart does not know (cart restored from before it) would hold that stock
 * until it expires; the repair releases it now. Finished reservations are history and not listed.
 */
@Injectable()
export class ProductsReferences implements ReferenceHolder, IdOwner {
  constructor(
    @Inject(ProductsStore) private readonly products: ProductsStore,
    @Inject(ReservationsStore) private readonly reservations: ReservationsStore,
    @Inject(StockService) private readonly stock: StockService,
  ) {}

  /** Products that do not exist, or were deleted (nothing should keep them in a cart or watch them). */
  async checkIds(ids: string[]): Promise<IdsCheck> {
    const found = await this.products.existing(ids);
    return { unknown: ids.filter((id) => !found.has(id)), erased: [] };
  }

  referencedIds(_owner: ServiceName): Promise<string[]> {
    return this.reservations.holdingIds();
  }

  async repair(_owner: ServiceName, ids: string[]): Promise<Record<string, number>> {
    let released = 0;
    for (const id of ids) {
      const before = await this.reservations.get(id);
      if (before && (before.status === 'held' || before.status === 'holding')) {
        await this.stock.release(id);
        released++;
      }
    }
    return { reservationsReleased: released };
  }
}
