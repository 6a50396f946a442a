import type { EventEnvelope } from '@polystore/contracts';
import type { OutboxBacklog, OutboxStore } from '@polystore/platform';
import { uuidv7Bound, uuidv7Millis } from '../domain/cursor.js';
import { ConversationsStore } from './conversations.store.js';

/** A send still marked pending after this long has either committed (and is found) or failed. */
export const STALE_SEND_MS = 30_000;
/** The sweep reads every conversation on FerretDB 1.x, so it runs this often, not on every wake-up. */
export const SWEEP_EVERY_MS = 10_000;
/** The backlog read (metrics) looks at this many conversations with pending sends at most. */
const BACKLOG_READ_LIMIT = 1_000;

/**
 * The relay's view of the per-message outboxes. Conversations this process just wrote are
 * handled at once (queued on commit); a sweep (every SWEEP_EVERY_MS) finds conversations with a
 * send marked pending for longer than STALE_SEND_MS (a crash, another instance). For a conversation, every committed
 * message after `publishedSeq` is published in order (Nats-Msg-Id = event id, so a repeat is
 * dropped by JetStream) and its outbox emptied; then the conversation is summarized and its
 * watermark moved in one update (a crash before it only means publishing again, deduplicated).
 */
export class MessagingOutbox implements OutboxStore {
  /** Conversation id → the highest seq this process committed there and has not relayed yet. */
  private readonly dirty = new Map<string, number>();
  private lastSweep = 0;

  constructor(private readonly store: ConversationsStore) {}

  async onCommitted(wake: () => void): Promise<() => Promise<void>> {
    const stop = this.store.onCommit((conversationId, seq) => {
      this.dirty.set(conversationId, Math.max(seq, this.dirty.get(conversationId) ?? 0));
      wake();
    });
    return async () => void stop();
  }

  /** Sends not relayed yet (their ids, UUIDv7s, carry when each was written), from up to BACKLOG_READ_LIMIT conversations. */
  async backlog(): Promise<OutboxBacklog> {
    const sends = await this.store.pendingSends(BACKLOG_READ_LIMIT);
    const oldest = sends.reduce<string | null>((min, id) => (min === null || id < min ? id : min), null);
    return { pending: sends.length, oldestWrittenAt: oldest === null ? null : new Date(uuidv7Millis(oldest)) };
  }

  async drain(limit: number, publish: (events: EventEnvelope[]) => Promise<string[]>): Promise<number> {
    const work = [...this.dirty].slice(0, limit).map(([id, seq]) => ({ id, knownLast: seq as number | undefined }));
    for (const { id } of work) this.dirty.delete(id);
    if (work.length < limit && Date.now() - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = Date.now();
      for (const id of await this.store.stalePending(uuidv7Bound(Date.now() - STALE_SEND_MS), limit - work.length)) {
        if (!work.some((w) => w.id === id)) work.push({ id, knownLast: undefined });
      }
    }
    for (const { id, knownLast } of work) {
      try {
        await this.relay(id, publish, knownLast);
      } catch (error) {
        this.dirty.set(id, Math.max(knownLast ?? 0, this.dirty.get(id) ?? 0));
        throw error;
      }
    }
    return work.length;
  }

  /**
   * Publishes what the conversation has unpublished; clears the pending marks it accounts for.
   * `knownLast`: the seq this process just committed (read exactly up to it); without it, the
   * messages are probed until one is missing (repairing a send stopped before its summary).
   */
  async relay(conversationId: string, publish: (events: EventEnvelope[]) => Promise<string[]>, knownLast?: number): Promise<void> {
    const conversation = await this.store.get(conversationId);
    if (!conversation) return;
    const staleBound = uuidv7Bound(Date.now() - STALE_SEND_MS);
    const seen = [];
    for await (const message of this.store.messagesAfter(
      conversationId,
      conversation.publishedSeq,
      Math.max(knownLast ?? 0, conversation.lastSeq),
      knownLast === undefined,
    )) {
      if (message.pendingEvents.length > 0) {
        const published = await publish(message.pendingEvents);
        if (published.length < message.pendingEvents.length)
          throw new Error(`published ${published.length} of ${message.pendingEvents.length} events of message ${message._id}`);
        await this.store.clearPendingEvents(message);
      }
      seen.push(message);
    }
    // A pending mark goes once its message is published, or once it is stale: by then its send
    // either committed (and was published above, everything up to the last message was) or failed.
    const sentIds = new Set(seen.map((m) => m.pendingEvents[0]?.id).filter(Boolean));
    const pullSends = conversation.pendingSends.filter((s) => sentIds.has(s) || s < staleBound);
    await this.store.summarize(conversationId, seen, { pullSends, published: true });
  }
}
