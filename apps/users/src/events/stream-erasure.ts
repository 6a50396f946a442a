import { eventStreamName, eventSubject, type EventEnvelope } from '@polystore/contracts';
import { jetstreamManager, type MsgRequest } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EVENTS_WITH_PERSONAL_DATA } from '../domain/erasure.js';

/**
 * Deletes, from users' own stream, the events about `userId` that carry personal data
 * (`EVENTS_WITH_PERSONAL_DATA`: registration and profile changes, with email and name). Each
 * message is erased (`erase: true` overwrites it on disk, not only unlinks it). Walks those
 * subjects only, one message per round trip (`STREAM.MSG.GET` with `next_by_subj`), so the cost is
 * the number of such events within the stream's retention (7 days). Returns how many it deleted;
 * running it again deletes nothing more.
 */
export async function eraseFromUsersStream(nc: NatsConnection, userId: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  const stream = eventStreamName('users');
  let deleted = 0;
  for (const kind of EVENTS_WITH_PERSONAL_DATA) {
    const subject = eventSubject('users', kind.type, kind.version);
    let seq = 0;
    for (;;) {
      // nats-server ≥ 2.9 takes next_by_subj on STREAM.MSG.GET; the client's type lists only seq and last_by_subj.
      const msg = await jsm.streams.getMessage(stream, { seq, next_by_subj: subject } as unknown as MsgRequest);
      if (!msg) break;
      seq = msg.seq + 1;
      let envelope: EventEnvelope<{ userId?: unknown }> | null = null;
      try {
        envelope = msg.json<EventEnvelope<{ userId?: unknown }>>();
      } catch {
        continue; // not an event of ours: not about anyone
      }
      if (envelope?.data?.userId !== userId) continue;
      if (await jsm.streams.deleteMessage(stream, msg.seq, true)) deleted++;
    }
  }
  return deleted;
}
