import type { StoreUsage } from '@polystore/platform';
import { PRODUCTS_INDICES, type ProductsSearch } from './products-search.js';

interface IndicesStats {
  _all: { total: { store: { size_in_bytes: number } }; primaries: { docs: { count: number } } };
}

/**
 * products' indices: store size (primaries and replicas) and the documents of the primaries
 * (nested documents included, as Lucene counts them). An OpenSearch index is its data, so its
 * index bytes are its store bytes.
 */
export async function readProductsUsage(search: ProductsSearch): Promise<StoreUsage> {
  const { body } = await search.client.indices.stats({ index: PRODUCTS_INDICES, metric: ['store', 'docs'] });
  const stats = (body as unknown as IndicesStats)._all;
  const bytes = stats.total.store.size_in_bytes;
  return { diskBytes: bytes, items: stats.primaries.docs.count, itemKind: 'documents', indexBytes: bytes };
}
