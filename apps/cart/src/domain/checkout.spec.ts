import { ErrorCode, type Cart } from '@polystore/contracts';
import { checkoutLinesOf, debitNotAfter, failureOf, isTransient, priceDrift, stepFinished, stepStarted } from './checkout.js';

const line = (productId: string, unitPriceCents: number, quantity = 1, available = true) => ({
  productId,
  name: `P ${productId}`,
  quantity,
  unitPriceCents,
  currency: 'EUR',
  lineTotalCents: unitPriceCents * quantity,
  available,
});
const cart = (lines: Cart['lines'], currency: string | null = 'EUR'): Cart => ({ userId: 'u', lines, totalCents: 0, currency });

describe('checkout domain', () => {
  it('takes the lines of a cart that can be checked out', () => {
    expect(checkoutLinesOf(cart([line('a', 100, 2)]))).toEqual({
      currency: 'EUR',
      lines: [{ productId: 'a', name: 'P a', quantity: 2, unitPriceCents: 100, lineTotalCents: 200 }],
    });
  });

  it('refuses an empty cart, unavailable lines and mixed currencies, naming the field', () => {
    expect(checkoutLinesOf(cart([], null))).toEqual({ problem: 'the cart is empty', field: 'cart' });
    expect(checkoutLinesOf(cart([line('a', 100), line('b', 5, 1, false)]))).toMatchObject({
      field: 'cart.lines',
      problem: expect.stringContaining('b'),
    });
    expect(checkoutLinesOf(cart([line('a', 100)], 'MIXED'))).toMatchObject({ field: 'cart.lines', problem: expect.stringMatching(/one currency/) });
    expect(checkoutLinesOf(cart([line('a', 600_000_000), line('b', 400_000_000)]))).toEqual({
      currency: 'EUR',
      lines: expect.any(Array),
    });
    expect(checkoutLinesOf(cart([line('a', 600_000_000), line('b', 400_000_001)]))).toMatchObject({
      field: 'cart.totalCents',
      problem: expect.stringContaining('1000000001'),
    });
  });

  it('finds prices that moved between the cart and the reservation', () => {
    const lines = [{ productId: 'a', name: 'Mug', quantity: 1, unitPriceCents: 1500, lineTotalCents: 1500 }];
    const reserved = (priceCents: number, currency = 'EUR') => [{ productId: 'a', quantity: 1, priceCents, currency, name: 'Mug' }];
    expect(priceDrift(lines, 'EUR', reserved(1500))).toBeNull();
    expect(priceDrift(lines, 'EUR', reserved(1800))).toMatch(/Mug: 1500 EUR → 1800 EUR/);
    expect(priceDrift(lines, 'EUR', reserved(1500, 'USD'))).toMatch(/1500 USD/);
    expect(priceDrift(lines, 'EUR', [])).toMatch(/was not reserved/);
  });

  it('counts retries of a step as attempts, and closes the step it started', () => {
    let steps = stepStarted([], 'reserve-stock', 't1');
    steps = stepStarted(steps, 'reserve-stock', 't2', 'UNAVAILABLE: down');
    expect(steps).toEqual([{ name: 'reserve-stock', status: 'started', attempts: 2, startedAt: 't1', detail: 'UNAVAILABLE: down' }]);
    steps = stepFinished(steps, 'reserve-stock', 'done', 't3');
    expect(steps[0]).toEqual({ name: 'reserve-stock', status: 'done', startedAt: 't1', finishedAt: 't3', attempts: 2 });
    // The error of the last retry is no detail of a step that then succeeded (or failed otherwise).
    const retried = stepStarted(stepStarted([], 'refund-wallet', 't1'), 'refund-wallet', 't2', 'TIMEOUT: no answer');
    expect(stepFinished(retried, 'refund-wallet', 'done', 't3')).toEqual([
      { name: 'refund-wallet', status: 'done', attempts: 2, startedAt: 't1', finishedAt: 't3' },
    ]);
    expect(stepFinished(retried, 'refund-wallet', 'done', 't3', 'nothing had been debited')[0]!.detail).toBe('nothing had been debited');
    steps = stepStarted(steps, 'debit-wallet', 't4');
    expect(steps).toHaveLength(2);
    expect(stepFinished(steps, 'clear-cart', 'done', 't5')[2]).toMatchObject({ name: 'clear-cart', attempts: 0, status: 'done' });
  });

  it('keeps business reasons as they are and says which step failed otherwise', () => {
    expect(failureOf('debit-wallet', ErrorCode.InsufficientFunds, 'short')).toEqual({ code: ErrorCode.InsufficientFunds, message: 'short' });
    expect(failureOf('reserve-stock', ErrorCode.NotFound, 'product x not found')).toEqual({
      code: ErrorCode.Unprocessable,
      message: 'reserve-stock: product x not found',
    });
    expect(failureOf('debit-wallet', ErrorCode.Unavailable, 'users down').message).toMatch(/could not be done in time/);
    expect([ErrorCode.Unavailable, ErrorCode.Timeout, ErrorCode.Internal].every(isTransient)).toBe(true);
    expect(isTransient(ErrorCode.OutOfStock)).toBe(false);
  });
});

describe('debitNotAfter', () => {
  it('ends the debit before the saga gives up, by a margin for clocks and commits in flight', () => {
    const createdAt = '2026-11-28T00:00:00.000Z';
    expect(debitNotAfter(createdAt, 60_000)).toBe('2026-11-28T00:00:55.000Z');
    // A short deadline keeps three quarters of itself for the debit.
    expect(debitNotAfter(createdAt, 2_000)).toBe('2026-11-28T00:00:01.500Z');
  });
});
