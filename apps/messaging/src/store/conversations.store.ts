import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { ConversationSummary, EventEnvelope, Message } from '@polystore/contracts';
import type { QueryFilter } from 'mongoose';
import { messageIdOf, otherParticipant, pageSeqs, participantsOf, unreadCount } from '../domain/conversation.js';
import { ConversationBusy } from '../domain/errors.js';
import { KeyedLock } from './keyed-lock.js';
import { MessagingMongo } from './messaging-mongo.js';
import { type ConversationDoc, type LastMessage, type MessageDoc } from './models.js';

const DUPLICATE_KEY = 11000;
/** Concurrent senders in one conversation each take the next free seq; this bounds the retries. */
const MAX_SEQ_ATTEMPTS = 50;

export interface NewMessage {
  conversationId: string;
  senderId: string;
  recipientId: string;
  text: string;
  sentAt: Date;
  /** The MessageSent event for the seq the message gets; its id is the send's id. */
  event: (seq: number) => EventEnvelope;
  sendId: string;
}

/**
 * Conversations and their messages. FerretDB 1.x has no multi-document transactions, so a send
 * is three single-document steps, each safe to be the last one that happened:
 *   1. reserve: the conversation records the send as pending (and is created if new);
 *   2. commit: the message document is inserted at the next free seq, with its MessageSent event
 *      in the same document (the outbox). The unique `_id` (conversation + seq) makes seqs gapless;
 *   3. summarize: the conversation's `lastSeq`, the sender's `readSeq` and `lastMessageAt` move up ($max).
 * Stopping after 1 leaves no message, only a pending mark the relay clears; stopping after 2
 * leaves a committed message the relay publishes and summarizes (step 3 repeated is harmless).
 */
@Injectable()
export class ConversationsStore {
  private readonly listeners = new Set<(conversationId: string, seq: number) => void>();
  /** Every update of a conversation document goes through this (see KeyedLock for why). */
  private readonly lock = new KeyedLock();

  constructor(
    @Inject(MessagingMongo) private readonly mongo: MessagingMongo,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'conversations', metrics);
  }

  private get conversations() {
    return this.mongo.models.conversations;
  }
  private get messages() {
    return this.mongo.models.messages;
  }

  /** Called with the conversation id and seq after each committed send, so the outbox relay starts at once. */
  onCommit(listener: (conversationId: string, seq: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async send(m: NewMessage): Promise<Message> {
    const conversation = await this.reserve(m.conversationId, m.sendId, m.sentAt);
    const doc = await this.commit(m, conversation.lastSeq);
    await this.summarize(m.conversationId, [doc]);
    for (const listener of this.listeners) listener(m.conversationId, doc.seq);
    return toMessage(doc);
  }

  /** Step 1. */
  async reserve(conversationId: string, sendId: string, at: Date): Promise<ConversationDoc> {
    const [a, b] = participantsOf(conversationId)!;
    const upsert = () =>
      this.conversations
        .findOneAndUpdate(
          { _id: conversationId },
          {
            $setOnInsert: {
              participants: [a, b],
              lastSeq: 0,
              lastMessage: null,
              readSeq: { [a]: 0, [b]: 0 },
              publishedSeq: 0,
              createdAt: at,
              lastMessageAt: at,
            },
            $push: { pendingSends: sendId },
          },
          { upsert: true, returnDocument: 'after' },
        )
        .lean<ConversationDoc>()
        .exec();
    return this.lock.run(conversationId, async () => {
      try {
        return (await upsert())!;
      } catch (error) {
        // Two first messages at once (from two instances): one upsert created it, the other now updates it.
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
        return (await upsert())!;
      }
    });
  }

  /** Step 2: the message at the first free seq after `knownLastSeq`. */
  async commit(m: NewMessage, knownLastSeq: number): Promise<MessageDoc> {
    let seq = knownLastSeq + 1;
    for (let attempt = 0; attempt < MAX_SEQ_ATTEMPTS; attempt++, seq++) {
      const doc: MessageDoc = {
        _id: messageIdOf(m.conversationId, seq),
        conversationId: m.conversationId,
        seq,
        senderId: m.senderId,
        recipientId: m.recipientId,
        text: m.text,
        sentAt: m.sentAt,
        pendingEvents: [m.event(seq)],
      };
      try {
        await this.messages.create(doc);
        return doc;
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      }
    }
    throw new ConversationBusy(m.conversationId);
  }

  /** Step 3 (also the relay's repair): only moves counters up, so it can be repeated. */
  async summarize(conversationId: string, docs: MessageDoc[], extra: { pullSends?: string[]; published?: boolean } = {}): Promise<void> {
    if (docs.length === 0 && !extra.pullSends?.length) return;
    const max: Record<string, number | Date> = {};
    for (const d of docs) {
      max.lastSeq = Math.max(Number(max.lastSeq ?? 0), d.seq);
      max[`readSeq.${d.senderId}`] = Math.max(Number(max[`readSeq.${d.senderId}`] ?? 0), d.seq);
      if (!max.lastMessageAt || d.sentAt > (max.lastMessageAt as Date)) max.lastMessageAt = d.sentAt;
    }
    if (extra.published && docs.length) max.publishedSeq = max.lastSeq!;
    const update: Record<string, unknown> = {};
    if (docs.length) update.$max = max;
    if (extra.pullSends?.length) update.$pullAll = { pendingSends: extra.pullSends };
    const newest = docs.reduce<MessageDoc | null>((n, d) => (!n || d.seq > n.seq ? d : n), null);
    // A copy of the newest message. Should summaries of one conversation ever land out of order (two
    // instances), the copy's seq differs from lastSeq and readers fetch that message instead.
    if (newest)
      update.$set = {
        lastMessage: {
          seq: newest.seq,
          senderId: newest.senderId,
          recipientId: newest.recipientId,
          text: newest.text,
          sentAt: newest.sentAt,
        } satisfies LastMessage,
      };
    await this.lock.run(conversationId, () => this.conversations.updateOne({ _id: conversationId }, update).exec());
  }

  async get(conversationId: string): Promise<ConversationDoc | null> {
    return this.conversations.findById(conversationId).lean<ConversationDoc>().exec();
  }

  /** A page of messages, newest first, read by key; `beforeSeq` is exclusive. */
  async messagesPage(conversation: ConversationDoc, beforeSeq: number | null, limit: number): Promise<{ items: Message[]; more: boolean }> {
    // lastSeq may lag a committed message whose step 3 has not happened yet: the relay repairs it.
    const seqs = pageSeqs(conversation.lastSeq, beforeSeq, limit);
    const docs = await this.mongo.findByIds(
      this.messages,
      seqs.map((s) => messageIdOf(conversation._id, s)),
    );
    const lowest = seqs[seqs.length - 1] ?? 1;
    return { items: docs.map(toMessage), more: lowest > 1 };
  }

  /** The user's conversations with at least one message, most recently active first. */
  async listFor(
    userId: string,
    before: [number, string] | null,
    limit: number,
  ): Promise<{ items: ConversationSummary[]; more: boolean; last: ConversationDoc | null }> {
    const filter: QueryFilter<ConversationDoc> = { participants: userId, lastSeq: { $gt: 0 } };
    if (before) {
      const at = new Date(before[0]);
      filter.$or = [{ lastMessageAt: { $lt: at } }, { lastMessageAt: at, _id: { $lt: before[1] } }];
    }
    const docs = await this.conversations
      .find(filter)
      .sort({ lastMessageAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<ConversationDoc[]>()
      .exec();
    const page = docs.slice(0, limit);
    // The copy on the conversation is current unless a summary is still on its way: read those few.
    const stale = page.filter((c) => c.lastMessage?.seq !== c.lastSeq);
    const fetched = (await Promise.all(stale.map((c) => this.mongo.findByIds(this.messages, [messageIdOf(c._id, c.lastSeq)])))).flat();
    const byConversation = new Map<string, MessageDoc | LastMessage>(fetched.map((m) => [m.conversationId, m]));
    const items = page.map((c) => summaryOf(c, userId, c.lastMessage?.seq === c.lastSeq ? c.lastMessage : (byConversation.get(c._id) ?? null)));
    return { items, more: docs.length > limit, last: page[page.length - 1] ?? null };
  }

  /** Marks everything up to `upToSeq` read for the user; returns how many were unread. */
  async markRead(conversation: ConversationDoc, userId: string, upToSeq: number): Promise<number> {
    const before = unreadCount(conversation.lastSeq, conversation.readSeq[userId]);
    await this.lock.run(conversation._id, () =>
      this.conversations.updateOne({ _id: conversation._id }, { $max: { [`readSeq.${userId}`]: upToSeq } }).exec(),
    );
    return Math.min(before, Math.max(0, upToSeq - (conversation.readSeq[userId] ?? 0)));
  }

  // ------------------------------------------------------------------ for the outbox relay

  /** Conversations with a send reserved before `olderThan` (a UUIDv7 bound) still marked pending. */
  async stalePending(olderThan: string, limit: number): Promise<string[]> {
    const docs = await this.conversations
      .find({ pendingSends: { $lt: olderThan } }, { _id: 1 })
      .limit(limit)
      .lean<Array<{ _id: string }>>()
      .exec();
    return docs.map((d) => d._id);
  }

  /** The send ids still marked pending, from at most `limit` conversations (the same index as stalePending). */
  async pendingSends(limit: number): Promise<string[]> {
    const docs = await this.conversations
      .find({ pendingSends: { $gt: '' } }, { pendingSends: 1 })
      .limit(limit)
      .lean<Array<{ pendingSends: string[] }>>()
      .exec();
    return docs.flatMap((d) => d.pendingSends);
  }

  /**
   * The committed messages after `afterSeq`, in order (they are gapless, so the first missing seq
   * ends them). Reads up to `expectedLast` first; with `probe`, goes on until a seq is missing
   * (a send whose summary never happened), in rounds of 20.
   */
  async *messagesAfter(conversationId: string, afterSeq: number, expectedLast: number, probe: boolean): AsyncGenerator<MessageDoc> {
    let batch = Math.min(50, Math.max(0, expectedLast - afterSeq) + (probe ? 1 : 0));
    for (let from = afterSeq + 1; batch > 0; from += batch, batch = probe ? 20 : 0) {
      const ids = Array.from({ length: batch }, (_, i) => messageIdOf(conversationId, from + i));
      const docs = await this.mongo.findByIds(this.messages, ids);
      for (let i = 0; i < docs.length; i++) {
        if (docs[i]!.seq !== from + i) return;
        yield docs[i]!;
      }
      if (docs.length < batch) return;
    }
  }

  /**
   * Bulk load (the seed command): messages first, then the conversations that end with them, so a
   * conversation never points past its messages. Validated like any write; no events.
   */
  async bulkInsert(messages: MessageDoc[], conversations: ConversationDoc[]): Promise<void> {
    if (messages.length) await this.messages.insertMany(messages, { ordered: false });
    if (conversations.length) await this.conversations.insertMany(conversations, { ordered: false });
  }

  /** The message's events are all out: empty its outbox. */
  async clearPendingEvents(message: Pick<MessageDoc, '_id' | 'conversationId'>): Promise<void> {
    await this.messages.updateOne({ _id: message._id }, { $set: { pendingEvents: [] } }).exec();
  }
}

export function toMessage(d: MessageDoc): Message {
  return {
    id: d._id,
    conversationId: d.conversationId,
    seq: d.seq,
    senderId: d.senderId,
    recipientId: d.recipientId,
    text: d.text,
    sentAt: d.sentAt.toISOString(),
  };
}

export function summaryOf(c: ConversationDoc, userId: string, lastMessage: MessageDoc | LastMessage | null): ConversationSummary {
  return {
    id: c._id,
    otherUserId: otherParticipant(c._id, userId),
    lastMessage: lastMessage
      ? toMessage({ ...lastMessage, _id: messageIdOf(c._id, lastMessage.seq), conversationId: c._id, pendingEvents: [] })
      : null,
    unread: unreadCount(c.lastSeq, c.readSeq[userId]),
    lastMessageAt: c.lastMessageAt.toISOString(),
    ...(c.erasedParticipants?.length ? { otherUserErased: true } : {}),
  };
}
