import { envInt, envUrl } from '@polystore/platform';

export interface CartConfig {
  /** redis://cart_svc:<password>@host:port/db — cart's own ACL user, limited to keys under `cart:`. */
  redisUrl: string;
  /** Carts untouched this long expire. */
  cartTtlDays: number;
  checkout: CheckoutConfig;
}

export interface CheckoutConfig {
  /** How long products holds a checkout's stock unless committed. */
  reservationTtlSeconds: number;
  /** Reserve and debit are retried (services away) until the checkout is this old; then it compensates. */
  forwardDeadlineMs: number;
  /** How long `POST /cart/checkout` waits for the saga before answering with its state so far. */
  waitMs: number;
  /** A driver's lease on a checkout; when its holder dies, another instance takes over after this. */
  leaseMs: number;
  /** How often unfinished checkouts (a crash, a restart) are looked for. */
  recoveryIntervalMs: number;
  /** Finished checkouts and their idempotency keys are kept this long. */
  retentionDays: number;
}

export function loadCartConfig(env: NodeJS.ProcessEnv = process.env): CartConfig {
  return {
    // Required: it carries the service's password (generated per stack, given by npm start/test).
    redisUrl: envUrl('CART_REDIS_URL', undefined, ['redis', 'rediss'], env),
    cartTtlDays: envInt('CART_TTL_DAYS', 30, { min: 1, max: 3650 }, env),
    checkout: {
      reservationTtlSeconds: envInt('CART_CHECKOUT_RESERVATION_TTL_SECONDS', 900, { min: 5, max: 86_400 }, env),
      forwardDeadlineMs: envInt('CART_CHECKOUT_FORWARD_DEADLINE_MS', 60_000, { min: 100, max: 3_600_000 }, env),
      waitMs: envInt('CART_CHECKOUT_WAIT_MS', 2_000, { min: 0, max: 60_000 }, env),
      leaseMs: envInt('CART_CHECKOUT_LEASE_MS', 10_000, { min: 500, max: 600_000 }, env),
      recoveryIntervalMs: envInt('CART_CHECKOUT_RECOVERY_INTERVAL_MS', 2_000, { min: 100, max: 600_000 }, env),
      retentionDays: envInt('CART_CHECKOUT_RETENTION_DAYS', 30, { min: 1, max: 3650 }, env),
    },
  };
}

export const CART_CONFIG = Symbol('CART_CONFIG');
