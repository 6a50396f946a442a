import { envInt, envOptional, envUrl } from '@polystore/platform';
import { APPS } from '@polystore/manifest';

export interface ProductsConfig {
  opensearchUrl: string;
  username?: string;
  password?: string;
  /** How long a stock reservation holds unless committed. */
  reservationTtlSeconds: number;
  /** How often expired reservations are looked for and released. */
  reservationSweepMs: number;
}

export function loadProductsConfig(env: NodeJS.ProcessEnv = process.env): ProductsConfig {
  return {
    opensearchUrl: envUrl('PRODUCTS_OPENSEARCH_URL', `http://127.0.0.1:${APPS.products.store.port.dev}`, ['http', 'https'], env),
    // Only where the node runs the security plugin (the local runner does not; see README).
    username: envOptional('PRODUCTS_OPENSEARCH_USER', env),
    password: envOptional('PRODUCTS_OPENSEARCH_PASSWORD', env),
    reservationTtlSeconds: envInt('PRODUCTS_RESERVATION_TTL_SECONDS', 900, { min: 5, max: 86_400 }, env),
    reservationSweepMs: envInt('PRODUCTS_RESERVATION_SWEEP_MS', 5_000, { min: 100, max: 600_000 }, env),
  };
}

export const PRODUCTS_CONFIG = Symbol('PRODUCTS_CONFIG');
