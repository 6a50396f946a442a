import type { Client, Types } from '@opensearch-project/opensearch';
import { PRODUCTS_INDEX_PREFIX, PRODUCTS_INDICES } from './products-search.js';

/** Stock reservations (one document each, keyed by reservation id), behind an alias like the catalog. */
export const RESERVATIONS_ALIAS = `${PRODUCTS_INDEX_PREFIX}-reservations`;
export const RESERVATIONS_INDEX = `${RESERVATIONS_ALIAS}-v1`;

const MAPPINGS: Types.Common_Mapping.TypeMapping = {
  dynamic: 'strict',
  properties: {
    reservationId: { type: 'keyword' },
    status: { type: 'keyword' },
    lines: { type: 'object', enabled: false },
    expiresAt: { type: 'date' },
    reason: { type: 'keyword' },
    reasonCode: { type: 'keyword' },
    createdAt: { type: 'date' },
    updatedAt: { type: 'date' },
    pendingEvents: { type: 'object', enabled: false },
    hasPendingEvents: { type: 'boolean' },
  },
};

export async function ensureReservationsIndex(client: Client): Promise<void> {
  const exists = await client.indices.existsAlias({ index: PRODUCTS_INDICES, name: RESERVATIONS_ALIAS });
  if (exists.body) return;
  try {
    await client.indices.create({
      index: RESERVATIONS_INDEX,
      body: {
        settings: { number_of_shards: 1, number_of_replicas: 0 },
        mappings: MAPPINGS,
        aliases: { [RESERVATIONS_ALIAS]: { is_write_index: true } },
      },
    });
  } catch (error) {
    if (!/resource_already_exists_exception/.test(String((error as Error).message))) throw error;
  }
}
