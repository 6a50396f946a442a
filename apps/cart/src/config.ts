import { envInt, envUrl } from '@polystore/platform';

export interface CartConfig {
  /** redis://cart_svc:<password>@host:port/db — cart's own ACL user, limited to keys under `cart:`. */
  redisUrl: string;
  /** Carts untouched this long expire. */
  cartTtlDays: number;
}

export function loadCartConfig(env: NodeJS.ProcessEnv = process.env): CartConfig {
  return {
    redisUrl: envUrl('CART_REDIS_URL', 'redis://cart_svc:cart_svc_dev_password@127.0.0.1:56379/0', ['redis', 'rediss'], env),
    cartTtlDays: envInt('CART_TTL_DAYS', 30, { min: 1, max: 3650 }, env),
  };
}

export const CART_CONFIG = Symbol('CART_CONFIG');
