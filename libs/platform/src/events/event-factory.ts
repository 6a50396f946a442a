import type { EventEnvelope, EventProducer } from '@polystore/contracts';
import { v7 as uuidv7 } from 'uuid';

/** Builds an envelope; the id is a UUIDv7 (time-ordered), reused as the JetStream Nats-Msg-Id. */
export function newEvent<T>(producer: EventProducer, kind: { type: string; version: number }, data: T, traceparent?: string): EventEnvelope<T> {
  return {
    id: uuidv7(),
    type: kind.type,
    version: kind.version,
    occurredAt: new Date().toISOString(),
    producer,
    ...(traceparent ? { traceparent } : {}),
    data,
  };
}
