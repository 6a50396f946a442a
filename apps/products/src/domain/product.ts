import type { Product, ProductChanges, ProductFields } from '@polystore/contracts';

/** An open stock reservation held on a product document. */
export interface HeldReservation {
  id: string;
  quantity: number;
  expiresAt: string;
}

/**
 * Units a cancelled order gave back, applied to stockOnHand in the same write as this mark, so
 * the return is never applied twice to the product. Kept for a while (STOCK_RETURN_MARK_KEPT_MS).
 */
export interface AppliedStockReturn {
  /** The order's id. */
  id: string;
  quantity: number;
  at: string;
}

/** A product as products stores it (one document per product). */
export interface ProductRecord extends ProductFields {
  id: string;
  sku: string;
  attributes: Record<string, string>;
  reservations: HeldReservation[];
  /** Absent on products no order has returned stock to. */
  stockReturns?: AppliedStockReturn[];
  version: number;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
}

export function reservedQuantity(record: Pick<ProductRecord, 'reservations'>): number {
  return record.reservations.reduce((sum, r) => sum + r.quantity, 0);
}

export function toProduct(record: ProductRecord): Product {
  return {
    id: record.id,
    sku: record.sku,
    name: record.name,
    ...(record.description !== undefined ? { description: record.description } : {}),
    brand: record.brand,
    categories: record.categories,
    priceCents: record.priceCents,
    currency: record.currency,
    attributes: record.attributes,
    stockOnHand: record.stockOnHand,
    stockAvailable: Math.max(0, record.stockOnHand - reservedQuantity(record)),
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export function newProduct(id: string, sku: string, fields: ProductFields, now: string): ProductRecord {
  return {
    ...fields,
    id,
    sku,
    categories: dedupe(fields.categories),
    attributes: fields.attributes ?? {},
    reservations: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
    deleted: false,
  };
}

export interface ChangeOutcome {
  next: ProductRecord;
  changed: Array<keyof ProductChanges>;
  priceChanged: boolean;
}

/** Applies a partial update; fields equal to the current value do not count as changed. */
export function applyChanges(current: ProductRecord, changes: ProductChanges, now: string): ChangeOutcome {
  const next: ProductRecord = { ...current };
  const changed: Array<keyof ProductChanges> = [];
  for (const key of Object.keys(changes) as Array<keyof ProductChanges>) {
    const value = key === 'categories' ? dedupe(changes.categories!) : changes[key];
    if (value === undefined || JSON.stringify(value) === JSON.stringify(current[key])) continue;
    (next as unknown as Record<string, unknown>)[key] = value;
    changed.push(key);
  }
  if (changed.length === 0) return { next: current, changed, priceChanged: false };
  next.version = current.version + 1;
  next.updatedAt = now;
  return { next, changed, priceChanged: changed.includes('priceCents') || changed.includes('currency') };
}

/** Stock on hand may not drop below what open reservations hold. */
export function stockConflict(next: Pick<ProductRecord, 'stockOnHand' | 'reservations'>): string | null {
  const held = reservedQuantity(next);
  return next.stockOnHand < held ? `stockOnHand ${next.stockOnHand} is below the ${held} units held by open reservations` : null;
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
