import type { StoreUsage } from '@polystore/platform';
import type { MessagingMongo } from './messaging-mongo.js';

/** messaging's database from dbStats: storage bytes, documents, index bytes. */
export async function readMessagingUsage(store: MessagingMongo): Promise<StoreUsage> {
  const stats = (await store.connection.db!.stats()) as { storageSize?: number; dataSize?: number; objects?: number; indexSize?: number };
  return {
    diskBytes: Number(stats.storageSize ?? stats.dataSize ?? 0),
    items: Number(stats.objects ?? 0),
    itemKind: 'documents',
    indexBytes: Number(stats.indexSize ?? 0),
  };
}
