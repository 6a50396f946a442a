import type { FunnelStep } from '@polystore/contracts';

/** Every day from `from` to `to` (YYYY-MM-DD, UTC), both included. */
export function eachDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += 24 * 3600_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** part / whole, rounded to 4 decimals; null when there is no whole to divide by. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

export function funnelStep(day: string, viewed: number, addedToCart: number, checkedOut: number, cancelled: number): FunnelStep {
  return {
    day,
    viewed,
    addedToCart,
    checkedOut,
    cancelled,
    viewToCartRate: rate(addedToCart, viewed),
    cartToCheckoutRate: rate(checkedOut, addedToCart),
    viewToCheckoutRate: rate(checkedOut, viewed),
    cancellationRate: rate(cancelled, checkedOut),
  };
}

/** Counts per day (missing days are zero) → one funnel step per day of the range, plus the total. */
export function funnel(
  from: string,
  to: string,
  counts: { viewed: Map<string, number>; addedToCart: Map<string, number>; checkedOut: Map<string, number>; cancelled: Map<string, number> },
): { days: FunnelStep[]; total: FunnelStep } {
  const days = eachDay(from, to).map((day) =>
    funnelStep(day, counts.viewed.get(day) ?? 0, counts.addedToCart.get(day) ?? 0, counts.checkedOut.get(day) ?? 0, counts.cancelled.get(day) ?? 0),
  );
  const sum = (key: 'viewed' | 'addedToCart' | 'checkedOut' | 'cancelled') => days.reduce((n, d) => n + d[key], 0);
  return { days, total: funnelStep('total', sum('viewed'), sum('addedToCart'), sum('checkedOut'), sum('cancelled')) };
}
