import { decideOrderRefund, decideRefund, sameIntent } from './wallet.js';

describe('wallet rules', () => {
  it('a refund defaults to what is left of the debit', () => {
    expect(decideRefund(1000, 300)).toEqual({ ok: true, amountCents: 700 });
  });

  it('a refund can never exceed what is left', () => {
    expect(decideRefund(1000, 300, 800)).toEqual({ ok: false, reason: 'over-refund', refundableCents: 700 });
    expect(decideRefund(1000, 1000)).toEqual({ ok: false, reason: 'nothing-left', refundableCents: 0 });
  });

  it('a retried key must ask for the same movement', () => {
    expect(sameIntent({ kind: 'debit', amountCents: 5 }, { kind: 'debit', amountCents: 5 })).toBe(true);
    expect(sameIntent({ kind: 'debit', amountCents: 5 }, { kind: 'debit', amountCents: 6 })).toBe(false);
    expect(sameIntent({ kind: 'debit', amountCents: 5 }, { kind: 'credit', amountCents: 5 })).toBe(false);
  });

  describe("an order's refund", () => {
    const facts = { orderTotalCents: 700, orderCurrency: 'EUR', walletCurrency: 'EUR', debit: { amountCents: 700, alreadyRefundedCents: 0 } };

    it('gives back the order total from its debit', () => {
      expect(decideOrderRefund(facts)).toEqual({ ok: true, amountCents: 700 });
    });

    it('declines with a code when it cannot be done, and never more than is left of the debit', () => {
      expect(decideOrderRefund({ ...facts, debit: null })).toMatchObject({ ok: false, code: 'DEBIT_NOT_FOUND' });
      expect(decideOrderRefund({ ...facts, orderCurrency: 'USD' })).toMatchObject({ ok: false, code: 'CURRENCY_MISMATCH' });
      expect(decideOrderRefund({ ...facts, debit: { amountCents: 700, alreadyRefundedCents: 700 } })).toMatchObject({
        ok: false,
        code: 'ALREADY_REFUNDED',
      });
      expect(decideOrderRefund({ ...facts, debit: { amountCents: 700, alreadyRefundedCents: 1 } })).toMatchObject({
        ok: false,
        code: 'REFUND_EXCEEDS_DEBIT',
      });
      expect(decideOrderRefund({ ...facts, orderTotalCents: 701 })).toMatchObject({ ok: false, code: 'REFUND_EXCEEDS_DEBIT' });
    });
  });
});
