import { decideRefund, sameIntent } from './wallet.js';

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
});
