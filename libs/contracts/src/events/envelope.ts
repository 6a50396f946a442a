import type { EventProducer } from '../subjects.js';

/**
 * Every event on JetStream travels in this envelope. `id` is a UUIDv7 and is also
 * the `Nats-Msg-Id` header, so a republish by the outbox relay is deduplicated.
 */
export interface EventEnvelope<TData = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  producer: EventProducer;
  traceparent?: string;
  data: TData;
}
