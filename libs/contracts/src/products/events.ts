import type { StockCommittedV1, StockReleasedV1, StockReservedV1 } from './stock.js';

/** Event types products emits, with their schema version. */
export const ProductsEvents = {
  ProductCreated: { type: 'ProductCreated', version: 1 },
  ProductUpdated: { type: 'ProductUpdated', version: 1 },
  ProductPriceChanged: { type: 'ProductPriceChanged', version: 1 },
  ProductDeleted: { type: 'ProductDeleted', version: 1 },
  StockReserved: { type: 'StockReserved', version: 1 },
  StockReleased: { type: 'StockReleased', version: 1 },
  StockCommitted: { type: 'StockCommitted', version: 1 },
  OrderStockReturned: { type: 'OrderStockReturned', version: 1 },
} as const;

/** What each products event carries, by type (at the version above). */
export interface ProductsEventData {
  [ProductsEvents.ProductCreated.type]: ProductCreatedV1;
  [ProductsEvents.ProductUpdated.type]: ProductUpdatedV1;
  [ProductsEvents.ProductPriceChanged.type]: ProductPriceChangedV1;
  [ProductsEvents.ProductDeleted.type]: ProductDeletedV1;
  [ProductsEvents.StockReserved.type]: StockReservedV1;
  [ProductsEvents.StockReleased.type]: StockReleasedV1;
  [ProductsEvents.StockCommitted.type]: StockCommittedV1;
  [ProductsEvents.OrderStockReturned.type]: OrderStockReturnedV1;
}

export interface ProductSnapshotV1 {
  productId: string;
  sku: string;
  name: string;
  brand: string;
  categories: string[];
  priceCents: number;
  currency: string;
  stockOnHand: number;
  version: number;
}

export type ProductCreatedV1 = ProductSnapshotV1;

export interface ProductUpdatedV1 extends ProductSnapshotV1 {
  changed: string[];
}

export interface ProductPriceChangedV1 {
  productId: string;
  sku: string;
  name: string;
  oldPriceCents: number;
  newPriceCents: number;
  oldCurrency: string;
  currency: string;
  version: number;
}

export interface ProductDeletedV1 {
  productId: string;
  sku: string;
  version: number;
}

/** products' answer to orders' OrderCancellationRequested: the order's units are back on sale (once per order). */
export interface OrderStockReturnedV1 {
  orderId: string;
  lines: Array<{ productId: string; quantity: number }>;
  returnedAt: string;
}
