import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('lets a key through up to its limit, then says how long to wait, until the window ends', () => {
    const limiter = new RateLimiter(3, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('a', t0)).toBe(0);
      limiter.hit('a', t0);
    }
    expect(limiter.retryAfterSeconds('a', t0 + 1_000)).toBe(59);
    expect(limiter.retryAfterSeconds('b', t0 + 1_000)).toBe(0);
    expect(limiter.retryAfterSeconds('a', t0 + 60_000)).toBe(0);
  });

  it('forgets a key on reset', () => {
    const limiter = new RateLimiter(1, 60_000);
    limiter.hit('a', 0);
    expect(limiter.retryAfterSeconds('a', 1)).toBe(60);
    limiter.reset('a');
    expect(limiter.retryAfterSeconds('a', 1)).toBe(0);
  });

  it('keeps at most maxKeys windows, dropping the oldest', () => {
    const limiter = new RateLimiter(1, 60_000, 10);
    for (let i = 0; i < 50; i++) limiter.hit(`k${i}`, i);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(10);
  });
});
