import {
  ProductsEvents,
  type EventEnvelope,
  type ProductCreatedV1,
  type ProductDeletedV1,
  type ProductPriceChangedV1,
  type ProductSnapshotV1,
  type ProductUpdatedV1,
} from '@polystore/contracts';
import { newEvent } from '@polystore/platform';
import type { ProductRecord } from '../domain/product.js';

function snapshot(p: ProductRecord): ProductSnapshotV1 {
  return {
    productId: p.id,
    sku: p.sku,
    name: p.name,
    brand: p.brand,
    categories: p.categories,
    priceCents: p.priceCents,
    currency: p.currency,
    stockOnHand: p.stockOnHand,
    version: p.version,
  };
}

export function productCreated(p: ProductRecord): EventEnvelope<ProductCreatedV1> {
  return newEvent('products', ProductsEvents.ProductCreated, snapshot(p));
}

/** ProductUpdated for every change, plus ProductPriceChanged when the price or currency moved. */
export function productChanged(before: ProductRecord, after: ProductRecord, changed: string[]): EventEnvelope[] {
  const events: EventEnvelope[] = [newEvent<ProductUpdatedV1>('products', ProductsEvents.ProductUpdated, { ...snapshot(after), changed })];
  if (before.priceCents !== after.priceCents || before.currency !== after.currency) {
    events.push(
      newEvent<ProductPriceChangedV1>('products', ProductsEvents.ProductPriceChanged, {
        productId: after.id,
        sku: after.sku,
        name: after.name,
        oldPriceCents: before.priceCents,
        newPriceCents: after.priceCents,
        oldCurrency: before.currency,
        currency: after.currency,
        version: after.version,
      }),
    );
  }
  return events;
}

export function productDeleted(p: ProductRecord): EventEnvelope<ProductDeletedV1> {
  return newEvent('products', ProductsEvents.ProductDeleted, { productId: p.id, sku: p.sku, version: p.version });
}
