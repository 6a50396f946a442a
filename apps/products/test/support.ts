import type { NatsSettings } from '@polystore/platform';
import { loadProductsConfig } from '../src/config.js';
import { ProductsModule } from '../src/products.module.js';

/** The products module on the test stack's OpenSearch (from `npm test`'s env), for startServiceForTest. */
export const productsModule = (nats: NatsSettings) => ProductsModule.forRoot(loadProductsConfig(), { nats });

export const uniqueSku = (tag = 'SKU') => `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`.toUpperCase();

export const productBody = (sku: string, overrides: Record<string, unknown> = {}) => ({
  sku,
  name: 'Trail running shoe',
  description: 'Light and grippy',
  brand: 'Acme',
  categories: ['shoes', 'running'],
  priceCents: 8900,
  currency: 'EUR',
  attributes: { color: 'red' },
  stockOnHand: 10,
  ...overrides,
});
