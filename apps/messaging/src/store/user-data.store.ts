import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import { conversationIdOf, messageIdOf, otherParticipant } from '../domain/conversation.js';
import { ERASED_MESSAGE_TEXT } from '../domain/erasure.js';
import { MessagingMongo } from './messaging-mongo.js';
import type { ConversationDoc, LastMessage, MessageDoc } from './models.js';

/**
 * messaging's part in erasing a user:
 * - notifications and product watches of the user: deleted;
 * - each conversation with someone else: kept for the other side, under a new id in which a random
 *   stand-in replaces the erased user (marked in `erasedParticipants`, shown as "deleted user");
 *   the erased user's messages keep their place (seqs stay gapless) with their text replaced, the
 *   other side's messages stay as written; events not yet published from those messages are dropped.
 *
 * FerretDB 1.x has no transactions, so a conversation moves in steps that can each be the last:
 * the stand-in is written on the old conversation first (`replacedBy`), and a run after a crash
 * reads it back and carries on (copies are upserts by `_id`, deletes of what is gone are no-ops).
 */
@Injectable()
export class UserDataStore {
  constructor(
    @Inject(MessagingMongo) private readonly mongo: MessagingMongo,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'erasure', metrics);
  }

  async erase(userId: string): Promise<Record<string, number>> {
    const { notifications, watches, conversations } = this.mongo.models;
    const user = userId.toLowerCase();
    const notificationsDeleted = (await notifications.deleteMany({ userId: user }).exec()).deletedCount;
    const watchesDeleted = (await watches.deleteMany({ userId: user }).exec()).deletedCount;
    const mine = await conversations.find({ participants: user }).lean<ConversationDoc[]>().exec();
    let messagesErased = 0;
    let messagesMoved = 0;
    for (const conversation of mine) {
      const moved = await this.moveConversation(conversation, user);
      messagesErased += moved.erased;
      messagesMoved += moved.moved;
    }
    return { notifications: notificationsDeleted, watches: watchesDeleted, conversations: mine.length, messagesMoved, messagesErased };
  }

  private async moveConversation(old: ConversationDoc, erased: string): Promise<{ moved: number; erased: number }> {
    const { conversations, messages } = this.mongo.models;
    let standIn = old.replacedBy;
    if (!standIn) {
      const candidate = randomUUID();
      await conversations.updateOne({ _id: old._id, replacedBy: { $exists: false } }, { $set: { replacedBy: candidate } }).exec();
      standIn = (await conversations.findById(old._id, { replacedBy: 1 }).lean<{ replacedBy?: string }>().exec())?.replacedBy ?? candidate;
    }
    const other = otherParticipant(old._id, erased);
    const newId = conversationIdOf(other, standIn);
    const swap = (id: string) => (id.toLowerCase() === erased ? standIn : id);

    const oldIds: string[] = [];
    let erasedCount = 0;
    const batch = 50;
    for (let from = 1; from <= old.lastSeq + batch; from += batch) {
      const ids = Array.from({ length: batch }, (_, i) => messageIdOf(old._id, from + i));
      const docs = await this.mongo.findByIds(messages, ids);
      if (docs.length === 0 && from > old.lastSeq) break;
      for (const doc of docs) {
        const byErased = doc.senderId.toLowerCase() === erased;
        const copy: MessageDoc = {
          _id: messageIdOf(newId, doc.seq),
          conversationId: newId,
          seq: doc.seq,
          senderId: swap(doc.senderId),
          recipientId: swap(doc.recipientId),
          text: byErased ? ERASED_MESSAGE_TEXT : doc.text,
          sentAt: doc.sentAt,
          pendingEvents: [],
        };
        await messages.replaceOne({ _id: copy._id }, copy, { upsert: true }).exec();
        oldIds.push(doc._id);
        if (byErased) erasedCount++;
      }
    }

    const last: LastMessage | null = old.lastMessage
      ? {
          ...old.lastMessage,
          senderId: swap(old.lastMessage.senderId),
          recipientId: swap(old.lastMessage.recipientId),
          text: old.lastMessage.senderId.toLowerCase() === erased ? ERASED_MESSAGE_TEXT : old.lastMessage.text,
        }
      : null;
    const readSeq: Record<string, number> = {};
    for (const [participant, seq] of Object.entries(old.readSeq)) readSeq[swap(participant)] = seq;
    const replacement: ConversationDoc = {
      _id: newId,
      participants: [other, standIn].sort() as [string, string],
      lastSeq: old.lastSeq,
      lastMessage: last,
      readSeq,
      publishedSeq: old.lastSeq,
      pendingSends: [],
      createdAt: old.createdAt,
      lastMessageAt: old.lastMessageAt,
      erasedParticipants: [...(old.erasedParticipants ?? []).map(swap), standIn],
    };
    await conversations.replaceOne({ _id: newId }, replacement, { upsert: true }).exec();
    // The old documents last, one `_id` at a time (the only index FerretDB 1.x uses): until the
    // conversation is gone, a run after a crash finds it again.
    for (let i = 0; i < oldIds.length; i += batch) {
      await Promise.all(oldIds.slice(i, i + batch).map((id) => messages.deleteOne({ _id: id }).exec()));
    }
    await conversations.deleteOne({ _id: old._id }).exec();
    return { moved: oldIds.length, erased: erasedCount };
  }
}
