/**
 * Counts events per key in a fixed window and says when a key is over its limit. In memory, per
 * gateway instance: the gateway owns no store, so with N instances a client gets up to N times the
 * limit (put a shared limit in front, at the load balancer, where that matters).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetsAt: number }>();
  private lastSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** Keys kept at most (oldest windows dropped first), so a flood of addresses cannot grow memory without bound. */
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
    this.sweep(now);
    const window = this.windows.get(key);
    if (!window || window.resetsAt <= now) this.windows.set(key, { count: 1, resetsAt: now + this.windowMs });
    else window.count++;
  }

  /** Forgets `key` (a successful login clears its failures). */
  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs && this.windows.size < this.maxKeys) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.resetsAt <= now) this.windows.delete(key);
    // Still full: drop the windows that end first (Map keeps insertion order, oldest first).
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
