import { Inject, Injectable } from '@nestjs/common';
import type { ServiceName } from '@polystore/contracts';
import { eraseUnknownUsers, type ReferenceHolder } from '@polystore/platform';
import { MessagingUserData } from '../events/user-erasure.js';
import { MessagingReferencesStore } from '../store/references.store.js';

/**
 * messaging's side of `npm run reconcile`. A user users does not know is treated as an erased one
 * (notifications and watches deleted, conversations kept for the other side under a stand-in);
 * a product products does not know loses its watches.
 */
@Injectable()
export class MessagingReferences implements ReferenceHolder {
  constructor(
    @Inject(MessagingReferencesStore) private readonly store: MessagingReferencesStore,
    @Inject(MessagingUserData) private readonly users: MessagingUserData,
  ) {}

  referencedIds(owner: ServiceName): Promise<string[]> {
    return owner === 'users' ? this.store.userIds() : this.store.watchedProductIds();
  }

  async repair(owner: ServiceName, ids: string[]): Promise<Record<string, number>> {
    if (owner !== 'users') return { watches: await this.store.dropWatchesOf(ids) };
    return eraseUnknownUsers(this.users, ids);
  }
}
