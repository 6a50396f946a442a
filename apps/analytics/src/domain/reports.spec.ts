import { eachDay, funnel, rate } from './reports.js';

describe('analytics report shaping (unit)', () => {
  it('lists every day of a range, across a month end', () => {
    expect(eachDay('2026-10-30', '2026-11-02')).toEqual(['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02']);
    expect(eachDay('2026-11-02', '2026-11-02')).toEqual(['2026-11-02']);
  });

  it('computes rates to 4 decimals, null without a denominator', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(0, 0)).toBeNull();
  });

  it('fills days without events with zeros and totals the range', () => {
    const report = funnel('2026-11-01', '2026-11-03', {
      viewed: new Map([
        ['2026-11-01', 10],
        ['2026-11-03', 30],
      ]),
      addedToCart: new Map([
        ['2026-11-01', 5],
        ['2026-11-03', 3],
      ]),
      checkedOut: new Map([
        ['2026-11-01', 1],
        ['2026-11-03', 2],
      ]),
      cancelled: new Map([['2026-11-03', 1]]),
    });
    expect(report.days.map((d) => [d.day, d.viewed, d.addedToCart, d.checkedOut, d.cancelled, d.cancellationRate])).toEqual([
      ['2026-11-01', 10, 5, 1, 0, 0],
      ['2026-11-02', 0, 0, 0, 0, null],
      ['2026-11-03', 30, 3, 2, 1, 0.5],
    ]);
    expect(report.days[1]!.viewToCartRate).toBeNull();
    expect(report.total).toEqual({
      day: 'total',
      viewed: 40,
      addedToCart: 8,
      checkedOut: 3,
      cancelled: 1,
      viewToCartRate: 0.2,
      cartToCheckoutRate: 0.375,
      viewToCheckoutRate: 0.075,
      cancellationRate: 0.3333,
    });
  });
});
