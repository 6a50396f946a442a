import { envOptional, envUrl } from '@polystore/platform';

export interface ProductsConfig {
  opensearchUrl: string;
  username?: string;
  password?: string;
}

export function loadProductsConfig(env: NodeJS.ProcessEnv = process.env): ProductsConfig {
  return {
    opensearchUrl: envUrl('PRODUCTS_OPENSEARCH_URL', 'http://127.0.0.1:59200', ['http', 'https'], env),
    // Only where the node runs the security plugin (the local runner does not; see README).
    username: envOptional('PRODUCTS_OPENSEARCH_USER', env),
    password: envOptional('PRODUCTS_OPENSEARCH_PASSWORD', env),
  };
}

export const PRODUCTS_CONFIG = Symbol('PRODUCTS_CONFIG');
