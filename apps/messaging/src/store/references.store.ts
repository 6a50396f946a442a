import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import { MessagingMongo } from './messaging-mongo.js';
import type { ConversationDoc } from './models.js';

/**
 * The ids of others messaging's store keeps, for `npm run reconcile`: users (notifications, watches,
 * conversations' participants other than the stand-ins of erased users) and products (watches).
 * Each is a scan of the collection (`distinct`, or every conversation's participants): an
 * operator's command, never on a request path.
 */
@Injectable()
export class MessagingReferencesStore {
  constructor(
    @Inject(MessagingMongo) private readonly mongo: MessagingMongo,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'references', metrics);
  }

  async userIds(): Promise<string[]> {
    const { notifications, watches, conversations } = this.mongo.models;
    const ids = new Set<string>([
      ...((await notifications.distinct('userId').exec()) as string[]),
      ...((await watches.distinct('userId').exec()) as string[]),
    ]);
    const all = await conversations.find({}, { participants: 1, erasedParticipants: 1 }).lean<ConversationDoc[]>().exec();
    for (const c of all) for (const p of c.participants) if (!c.erasedParticipants?.includes(p)) ids.add(p);
    return [...ids];
  }

  async watchedProductIds(): Promise<string[]> {
    return (await this.mongo.models.watches.distinct('productId').exec()) as string[];
  }

  /** Deletes the watches of these products; answers how many. */
  async dropWatchesOf(productIds: string[]): Promise<number> {
    return (await this.mongo.models.watches.deleteMany({ productId: { $in: productIds } }).exec()).deletedCount;
  }
}
