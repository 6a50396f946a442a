import { checkoutFailed, money, orderCancelled, priceDrop, receipt, welcome } from './notifications.js';

describe('notification content', () => {
  it('formats cents as money', () => {
    expect(money(8250, 'EUR')).toBe('82.50 EUR');
    expect(money(5, 'USD')).toBe('0.05 USD');
  });

  it('welcomes by name', () => {
    expect(welcome({ userId: 'u', email: 'a@b.c', name: 'Ada', role: 'customer' }).title).toBe('Welcome to polystore, Ada!');
  });

  it('lists every line and the total on a receipt', () => {
    const r = receipt({
      checkoutId: 'c1',
      userId: 'u',
      lines: [
        { productId: 'p1', name: 'Teapot', quantity: 2, unitPriceCents: 3500, lineTotalCents: 7000 },
        { productId: 'p2', name: 'Mug', quantity: 1, unitPriceCents: 1250, lineTotalCents: 1250 },
      ],
      totalCents: 8250,
      currency: 'EUR',
      completedAt: '2026-11-21T10:00:00.000Z',
    });
    expect(r.body.split('\n')).toEqual(['Thank you for your order (3 items).', '2 × Teapot — 70.00 EUR', '1 × Mug — 12.50 EUR', 'Total: 82.50 EUR']);
    expect(r.data).toMatchObject({ checkoutId: 'c1', totalCents: 8250 });
  });

  it('says why a checkout failed', () => {
    const n = checkoutFailed({
      checkoutId: 'c',
      userId: 'u',
      reasonCode: 'OUT_OF_STOCK',
      reason: 'Teapot is out of stock.',
      lines: [],
      totalCents: 0,
      currency: 'EUR',
      failedAt: '',
    });
    expect(n).toMatchObject({ kind: 'checkout-failed', data: { reasonCode: 'OUT_OF_STOCK' } });
    expect(n.body).toMatch(/^Teapot is out of stock\./);
  });

  it('tells the user a cancelled order was refunded', () => {
    const n = orderCancelled({ orderId: 'o1', userId: 'u', totalCents: 8250, currency: 'EUR', cancelledAt: '2026-11-27T10:00:00.000Z' });
    expect(n).toMatchObject({ kind: 'order-cancelled', title: 'Order cancelled: 82.50 EUR refunded', data: { orderId: 'o1', totalCents: 8250 } });
  });

  it('alerts only on a drop in the same currency', () => {
    const base = {
      productId: 'p',
      sku: 'S',
      name: 'Lamp',
      oldPriceCents: 5000,
      newPriceCents: 4000,
      oldCurrency: 'EUR',
      currency: 'EUR',
      version: 2,
    };
    expect(priceDrop(base)?.body).toBe('Lamp is now 40.00 EUR (was 50.00 EUR).');
    expect(priceDrop({ ...base, newPriceCents: 5000 })).toBeNull();
    expect(priceDrop({ ...base, newPriceCents: 6000 })).toBeNull();
    expect(priceDrop({ ...base, currency: 'USD' })).toBeNull();
  });
});
