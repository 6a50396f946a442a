import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { Watch } from '@polystore/contracts';
import type { QueryFilter } from 'mongoose';
import { MessagingMongo } from './messaging-mongo.js';
import type { WatchDoc } from './models.js';

/** Who watches which product (for price-drop alerts). */
@Injectable()
export class WatchesStore {
  constructor(
    @Inject(MessagingMongo) private readonly mongo: MessagingMongo,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'watches', metrics);
  }

  private get model() {
    return this.mongo.models.watches;
  }

  /** Idempotent: watching a watched product keeps the first watch. */
  async watch(userId: string, productId: string, at = new Date()): Promise<Watch> {
    const upsert = () =>
      this.model
        .findOneAndUpdate(
          { _id: watchId(userId, productId) },
          { $setOnInsert: { userId, productId, createdAt: at } },
          { upsert: true, returnDocument: 'after' },
        )
        .lean<WatchDoc>()
        .exec();
    const doc = await upsert().catch((error: { code?: number }) => {
      // Two watches at once: one upsert inserted it; the other finds it now.
      if (error.code === 11000) return upsert();
      throw error;
    });
    return { productId: doc!.productId, createdAt: doc!.createdAt.toISOString() };
  }

  /** True if there was a watch to remove. */
  async unwatch(userId: string, productId: string): Promise<boolean> {
    return (await this.model.deleteOne({ _id: watchId(userId, productId) }).exec()).deletedCount > 0;
  }

  /** By product id; `after` is the last product id of the previous page. */
  async list(userId: string, after: string | null, limit: number): Promise<{ items: Watch[]; more: boolean }> {
    const filter: QueryFilter<WatchDoc> = { userId };
    if (after) filter.productId = { $gt: after };
    const docs = await this.model
      .find(filter)
      .sort({ productId: 1 })
      .limit(limit + 1)
      .lean<WatchDoc[]>()
      .exec();
    return { items: docs.slice(0, limit).map((d) => ({ productId: d.productId, createdAt: d.createdAt.toISOString() })), more: docs.length > limit };
  }

  /** The watchers of a product, in batches (a popular product may have many). */
  async *watchers(productId: string, batchSize = 500): AsyncGenerator<string[]> {
    let after = '';
    for (;;) {
      const docs = await this.model
        .find({ productId, userId: { $gt: after } }, { userId: 1 })
        .sort({ userId: 1 })
        .limit(batchSize)
        .lean<Array<Pick<WatchDoc, 'userId'>>>()
        .exec();
      if (docs.length === 0) return;
      yield docs.map((d) => d.userId);
      if (docs.length < batchSize) return;
      after = docs[docs.length - 1]!.userId;
    }
  }
}

const watchId = (userId: string, productId: string) => `${userId}:${productId}`;
