import type {
  CheckoutCompletedV1,
  CheckoutFailedV1,
  NotificationKind,
  OrderCancelledV1,
  ProductPriceChangedV1,
  UserRegisteredV1,
} from '@polystore/contracts';

/** What a notification says; who gets it and which event caused it are added by the caller. */
export interface NotificationContent {
  kind: NotificationKind;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

export function money(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}

export function welcome(e: UserRegisteredV1): NotificationContent {
  return {
    kind: 'welcome',
    title: `Welcome to polystore, ${e.name}!`,
    body: 'Your account is ready. Watch products to hear about price drops, and message other shoppers directly.',
    data: { userId: e.userId },
  };
}

export function receipt(e: CheckoutCompletedV1): NotificationContent {
  const units = e.lines.reduce((sum, l) => sum + l.quantity, 0);
  const lines = e.lines.map((l) => `${l.quantity} × ${l.name} — ${money(l.lineTotalCents, e.currency)}`);
  return {
    kind: 'receipt',
    title: `Receipt: ${money(e.totalCents, e.currency)}`,
    body: [`Thank you for your order (${units} item${units === 1 ? '' : 's'}).`, ...lines, `Total: ${money(e.totalCents, e.currency)}`].join('\n'),
    data: { checkoutId: e.checkoutId, lines: e.lines, totalCents: e.totalCents, currency: e.currency, completedAt: e.completedAt },
  };
}

export function checkoutFailed(e: CheckoutFailedV1): NotificationContent {
  return {
    kind: 'checkout-failed',
    title: 'Your checkout did not go through',
    body: `${e.reason} Nothing was charged; your cart is unchanged.`,
    data: {
      checkoutId: e.checkoutId,
      reasonCode: e.reasonCode,
      reason: e.reason,
      lines: e.lines,
      totalCents: e.totalCents,
      currency: e.currency,
      failedAt: e.failedAt,
    },
  };
}

/** The cancellation went through: the money is back in the wallet and the order is closed. */
export function orderCancelled(e: OrderCancelledV1): NotificationContent {
  return {
    kind: 'order-cancelled',
    title: `Order cancelled: ${money(e.totalCents, e.currency)} refunded`,
    body: `Your order was cancelled. ${money(e.totalCents, e.currency)} is back in your wallet.`,
    data: { orderId: e.orderId, totalCents: e.totalCents, currency: e.currency, cancelledAt: e.cancelledAt },
  };
}

/** Only a real drop (same currency, lower price) is worth telling watchers about. */
export function priceDrop(e: ProductPriceChangedV1): NotificationContent | null {
  if (e.currency !== e.oldCurrency || e.newPriceCents >= e.oldPriceCents) return null;
  return {
    kind: 'price-drop',
    title: `Price drop: ${e.name}`,
    body: `${e.name} is now ${money(e.newPriceCents, e.currency)} (was ${money(e.oldPriceCents, e.oldCurrency)}).`,
    data: { productId: e.productId, name: e.name, oldPriceCents: e.oldPriceCents, newPriceCents: e.newPriceCents, currency: e.currency },
  };
}
