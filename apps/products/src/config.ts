import { envInt, envOptional, envUrl } from '@polystore/platform';
import { APPS } from '@polystore/manifest';

export interface ProductsConfig {
  opensearchUrl: string;
  username?: string;
  password?: string;
  /** The CA certificate the node's TLS certificate is checked against (the stack's own CA). */
  caFile?: string;
  /** How long a stock reservation holds unless committed. */
  reservationTtlSeconds: number;
  /** How often expired reservations are looked for and released. */
  reservationSweepMs: number;
}

export function loadProductsConfig(env: NodeJS.ProcessEnv = process.env): ProductsConfig {
  return {
    opensearchUrl: envUrl('PRODUCTS_OPENSEARCH_URL', `http://127.0.0.1:${APPS.products.store.port.dev}`, ['http', 'https'], env),
    // The stacks put the service's own user and password in the URL; these are an alternative.
    username: envOptional('PRODUCTS_OPENSEARCH_USER', env),
    password: envOptional('PRODUCTS_OPENSEARCH_PASSWORD', env),
    caFile: envOptional('PRODUCTS_OPENSEARCH_CA_FILE', env),
    reservationTtlSeconds: envInt('PRODUCTS_RESERVATION_TTL_SECONDS', 900, { min: 5, max: 86_400 }, env),
    reservationSweepMs: envInt('PRODUCTS_RESERVATION_SWEEP_MS', 5_000, { min: 100, max: 600_000 }, env),
  };
}

export const PRODUCTS_CONFIG = Symbol('PRODUCTS_CONFIG');
