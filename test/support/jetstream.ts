import { jetstream } from '@nats-io/jetstream';
import type { EventEnvelope } from '@polystore/contracts';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Reads a stream from its start (an ordered consumer) and returns the events `pick` accepts,
 * with their Nats-Msg-Id, once `count` are found or `timeoutMs` has passed.
 */
export async function readEvents(
  nc: NatsConnection,
  stream: string,
  subjects: string,
  pick: (e: EventEnvelope) => boolean,
  count: number,
  timeoutMs = 10_000,
): Promise<Array<EventEnvelope & { msgId?: string }>> {
  const consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: subjects });
  const found: Array<EventEnvelope & { msgId?: string }> = [];
  const deadline = Date.now() + timeoutMs;
  while (found.length < count && Date.now() < deadline) {
    const batch = await consumer.fetch({ max_messages: 500, expires: 1_000 });
    for await (const m of batch) {
      let e: EventEnvelope;
      try {
        e = m.json<EventEnvelope>();
      } catch {
        continue;
      }
      if (pick(e)) found.push({ ...e, msgId: m.headers?.get('Nats-Msg-Id') });
    }
  }
  return found;
}
