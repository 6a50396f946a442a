import type { EventEnvelope } from '@polystore/contracts';
import type { OutboxStore } from '@polystore/platform';
import { ConversationsStore } from './conversations.store.js';

/** A send still marked pending after this long has either committed (and is found) or failed. */
export const STALE_SEND_MS = 30_000;

/**
 * The relay's view of the per-message outboxes. Conversations this process just wrote are
 * handled at once (queued on commit); a sweep finds conversations with a send marked pending
 * for longer than STALE_SEND_MS (a crash, another instance). For a conversation, every committed
 * message after `publishedSeq` is published in order (Nats-Msg-Id = event id, so a repeat is
 * dropped by JetStream), its outbox emptied, the conversation summarized and the watermark moved.
 */
export class MessagingOutbox implements OutboxStore {
  private readonly dirty = new Set<string>();

  constructor(private readonly store: ConversationsStore) {}

  async onCommitted(wake: () => void): Promise<() => Promise<void>> {
    const stop = this.store.onCommit((conversationId) => {
      this.dirty.add(conversationId);
      wake();
    });
    return async () => void stop();
  }

  async drain(limit: number, publish: (events: EventEnvelope[]) => Promise<string[]>): Promise<number> {
    const ids = [...this.dirty].slice(0, limit);
    for (const id of ids) this.dirty.delete(id);
    if (ids.length < limit) {
      for (const id of await this.store.stalePending(uuidv7Bound(Date.now() - STALE_SEND_MS), limit - ids.length)) {
        if (!ids.includes(id)) ids.push(id);
      }
    }
    for (const id of ids) {
      try {
        await this.relay(id, publish);
      } catch (error) {
        this.dirty.add(id);
        throw error;
      }
    }
    return ids.length;
  }

  /** Publishes what the conversation has unpublished; clears the pending marks it accounts for. */
  async relay(conversationId: string, publish: (events: EventEnvelope[]) => Promise<string[]>): Promise<void> {
    const conversation = await this.store.get(conversationId);
    if (!conversation) return;
    const staleBound = uuidv7Bound(Date.now() - STALE_SEND_MS);
    const seen = [];
    for await (const message of this.store.messagesAfter(conversationId, conversation.publishedSeq)) {
      if (message.pendingEvents.length > 0) {
        const published = await publish(message.pendingEvents);
        if (published.length < message.pendingEvents.length) throw new Error(`published ${published.length} of ${message.pendingEvents.length} events of message ${message._id}`);
        await this.store.clearPendingEvents(message._id);
      }
      seen.push(message);
      await this.store.markPublished(conversationId, message.seq);
    }
    // A pending mark goes once its message is published, or once it is stale: by then its send
    // either committed (and was published above, everything up to the last message was) or failed.
    const sentIds = new Set(seen.map((m) => m.pendingEvents[0]?.id).filter(Boolean));
    const pullSends = conversation.pendingSends.filter((s) => sentIds.has(s) || s < staleBound);
    await this.store.summarize(conversationId, seen, { pullSends });
  }
}

/** The smallest UUIDv7 text of a millisecond: every v7 id made earlier sorts below it. */
export function uuidv7Bound(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}`;
}
