import { Inject, Injectable } from '@nestjs/common';
import type { UserErasure, UserEraser } from '@polystore/platform';
import { ConversationsService } from '../api/conversations.service.js';
import { UserDataStore } from '../store/user-data.store.js';

/** messaging's part in erasing a user (what it erases and keeps: UserDataStore). */
@Injectable()
export class MessagingUserData implements UserEraser {
  constructor(
    @Inject(UserDataStore) private readonly store: UserDataStore,
    @Inject(ConversationsService) private readonly conversations: ConversationsService,
  ) {}

  async erase({ userId }: UserErasure): Promise<Record<string, number>> {
    const counts = await this.store.erase(userId);
    this.conversations.forget(userId.toLowerCase());
    return counts;
  }
}
