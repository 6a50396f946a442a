import { Logger } from '@nestjs/common';
import type { Connection } from 'mongoose';

interface IndexSpec {
  collection: string;
  name: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
}

/**
 * The indexes every query of messaging needs, as numbered steps. At start each step newer than
 * the recorded version is applied and the version recorded after it; creating an index that
 * exists is a no-op, so a step interrupted half-way is simply applied again. Add a step; never
 * edit one that has shipped. (FerretDB 1.x: no TTL, partial, sparse-only or text indexes here.)
 */
export const INDEX_STEPS: Array<{ version: number; description: string; indexes: IndexSpec[] }> = [
  {
    version: 1,
    description: 'notifications, watches, conversations',
    indexes: [
      // A redelivered event never notifies twice.
      { collection: 'notifications', name: 'notifications_event_user_unique', key: { eventId: 1, userId: 1 }, unique: true },
      // GET /me/notifications, newest first, by cursor (the _id is a UUIDv7).
      { collection: 'notifications', name: 'notifications_user_newest', key: { userId: 1, _id: -1 } },
      // ?unread=true, the unread count and "mark all read".
      { collection: 'notifications', name: 'notifications_user_unread_newest', key: { userId: 1, readAt: 1, _id: -1 } },
      // Watchers of a product (price drops); my watches, by product id.
      { collection: 'watches', name: 'watches_product_user', key: { productId: 1, userId: 1 } },
      { collection: 'watches', name: 'watches_user_product', key: { userId: 1, productId: 1 } },
      // My conversations, most recently active first.
      { collection: 'conversations', name: 'conversations_participant_recent', key: { participants: 1, lastMessageAt: -1, _id: -1 } },
      // The outbox relay's sweep for sends left unfinished.
      { collection: 'conversations', name: 'conversations_pending_sends', key: { pendingSends: 1 } },
      // Messages need none beyond _id: they are read by `<conversation>:<seq>` keys (see MessageDoc).
    ],
  },
];

export const INDEX_VERSION_ID = 'indexes';
const VERSIONS = 'schema_versions';

/** Applies the index steps not yet applied; returns the version now in place. */
export async function ensureIndexes(connection: Connection, steps = INDEX_STEPS): Promise<number> {
  await connection.asPromise();
  const db = connection.db!;
  const versions = db.collection<{ _id: string; version: number; appliedAt: Date }>(VERSIONS);
  const current = (await versions.findOne({ _id: INDEX_VERSION_ID }))?.version ?? 0;
  let version = current;
  for (const step of steps.filter((s) => s.version > current).sort((a, b) => a.version - b.version)) {
    for (const index of step.indexes) {
      await db.collection(index.collection).createIndex(index.key, { name: index.name, ...(index.unique ? { unique: true } : {}) });
    }
    await versions.updateOne({ _id: INDEX_VERSION_ID }, { $max: { version: step.version }, $set: { appliedAt: new Date() } }, { upsert: true });
    version = step.version;
    new Logger('messaging:indexes').log(`applied index step ${step.version} (${step.description})`);
  }
  return version;
}

/** Drops messaging's collections and its index version (the seed's --reset, for test stacks). */
export async function resetMessagingStore(connection: Connection): Promise<void> {
  await connection.asPromise();
  const existing = new Set((await connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of existing) {
    if (name.startsWith('messages') || ['conversations', 'notifications', 'watches', VERSIONS].includes(name))
      await connection.db!.dropCollection(name);
  }
}
