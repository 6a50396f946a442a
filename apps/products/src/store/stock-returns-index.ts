import type { Client, Types } from '@opensearch-project/opensearch';
import { PRODUCTS_INDEX_PREFIX, PRODUCTS_INDICES } from './products-search.js';

/** Cancelled orders' stock returns (one document each, keyed by order id), behind an alias like the catalog. */
export const STOCK_RETURNS_ALIAS = `${PRODUCTS_INDEX_PREFIX}-stock-returns`;
export const STOCK_RETURNS_INDEX = `${STOCK_RETURNS_ALIAS}-v1`;

const MAPPINGS: Types.Common_Mapping.TypeMapping = {
  dynamic: 'strict',
  properties: {
    orderId: { type: 'keyword' },
    checkoutId: { type: 'keyword' },
    status: { type: 'keyword' },
    lines: { type: 'object', enabled: false },
    createdAt: { type: 'date' },
    updatedAt: { type: 'date' },
    pendingEvents: { type: 'object', enabled: false },
    hasPendingEvents: { type: 'boolean' },
  },
};

export async function ensureStockReturnsIndex(client: Client): Promise<void> {
  const exists = await client.indices.existsAlias({ index: PRODUCTS_INDICES, name: STOCK_RETURNS_ALIAS });
  if (exists.body) return;
  try {
    await client.indices.create({
      index: STOCK_RETURNS_INDEX,
      body: {
        settings: { number_of_shards: 1, number_of_replicas: 0 },
        mappings: MAPPINGS,
        aliases: { [STOCK_RETURNS_ALIAS]: { is_write_index: true } },
      },
    });
  } catch (error) {
    if (!/resource_already_exists_exception/.test(String((error as Error).message))) throw error;
  }
}
