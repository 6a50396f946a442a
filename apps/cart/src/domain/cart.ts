import { MAX_LINE_QUANTITY, type Cart, type CartLine } from '@polystore/contracts';

/** What cart knows about a product: taken when it was added, kept current by products' events. */
export interface ProductSnapshot {
  productId: string;
  name: string;
  priceCents: number;
  currency: string;
  version: number;
  deleted: boolean;
}

export function quantityProblem(quantity: number): string | null {
  return quantity < 1 || quantity > MAX_LINE_QUANTITY ? `quantity must be between 1 and ${MAX_LINE_QUANTITY}` : null;
}

/** The cart as shown: line totals, and a total over the lines still available. */
export function priceCart(userId: string, quantities: Record<string, number>, snapshots: Map<string, ProductSnapshot>): Cart {
  const lines: CartLine[] = Object.entries(quantities)
    .map(([productId, quantity]) => {
      const s = snapshots.get(productId);
      const available = !!s && !s.deleted;
      return {
        productId,
        name: s?.name ?? 'unknown product',
        quantity,
        unitPriceCents: s?.priceCents ?? 0,
        currency: s?.currency ?? '',
        lineTotalCents: (s?.priceCents ?? 0) * quantity,
        available,
      };
    })
    .sort((a, b) => a.productId.localeCompare(b.productId));
  const counted = lines.filter((l) => l.available);
  const currencies = new Set(counted.map((l) => l.currency));
  return {
    userId,
    lines,
    totalCents: counted.reduce((sum, l) => sum + l.lineTotalCents, 0),
    currency: currencies.size === 1 ? [...currencies][0]! : counted.length === 0 ? null : 'MIXED',
  };
}
