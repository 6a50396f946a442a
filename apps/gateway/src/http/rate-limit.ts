/**
 * Counts events per key in a fixed window and says when a key is over its limit. In memory, per
 * gateway instance: the gateway owns no store, so with N instances a client gets up to N times the
 * limit (put a shared limit in front, at the load balancer, where that matters).
 */
export class RateLimiter {
  /** In order of window start, oldest first (a renewed window moves to the end). */
  private readonly windows = new Map<string, { count: number; resetsAt: number }>();
  private nextSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** Keys kept at most (the oldest windows dropped first), so a flood of addresses cannot grow memory without bound. */
    private readonly maxKeys = 100_000,
  ) {}

  /** Seconds until `key` may try again, or 0 when it is under its limit. Does not count. */
  retryAfterSeconds(key: string, now = Date.now()): number {
    const window = this.windows.get(key);
    if (!window || window.resetsAt <= now || window.count < this.limit) return 0;
    return Math.max(1, Math.ceil((window.resetsAt - now) / 1000));
  }

  /** Counts one event for `key`. */
  hit(key: string, now = Date.now()): void {
    const window = this.windows.get(key);
    if (window && window.resetsAt > now) {
      window.count++;
      return;
    }
    this.windows.delete(key);
    if (now >= this.nextSweep) this.dropExpired(now);
    // Full: the oldest window goes (one delete, not a scan).
    if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
    this.windows.set(key, { count: 1, resetsAt: now + this.windowMs });
  }

  /** Forgets `key` (a successful login clears its failures). */
  reset(key: string): void {
    this.windows.delete(key);
  }

  /** Expired windows sit at the front (all windows have the same length): drop them, at most once a window. */
  private dropExpired(now: number): void {
    this.nextSweep = now + this.windowMs;
    for (const [key, window] of this.windows) {
      if (window.resetsAt > now) break;
      this.windows.delete(key);
    }
  }
}
