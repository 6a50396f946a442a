import { eventSubject, type EventEnvelope, type EventProducer } from '@polystore/contracts';
import { context, trace } from '@opentelemetry/api';
import { v7 as uuidv7 } from 'uuid';
import { SpanKind, natsMessagingAttributes, traceparentOf, tracer, unsampledTraceOf } from '../telemetry/tracing.js';

/**
 * Builds an envelope; the id is a UUIDv7 (time-ordered), reused as the JetStream Nats-Msg-Id.
 *
 * The envelope's `traceparent` is the trace context of the change it announces: a PRODUCER span
 * `create <subject>` (OpenTelemetry's messaging "create" operation) is made here, as a child of
 * the active span, and its context goes into the envelope, which the service stores with the
 * change (outbox row, document or Redis entry). The relay's `send` span links to it later, and
 * each consumer's `process` span continues it. An explicit `traceparent` is kept as given.
 */
export function newEvent<T>(producer: EventProducer, kind: { type: string; version: number }, data: T, traceparent?: string): EventEnvelope<T> {
  const id = uuidv7();
  const carried = traceparent ?? creationContext(eventSubject(producer, kind.type, kind.version), id);
  return {
    id,
    type: kind.type,
    version: kind.version,
    occurredAt: new Date().toISOString(),
    producer,
    ...(carried ? { traceparent: carried } : {}),
    data,
  };
}

/** Starts and ends the event's `create` span; its traceparent, or undefined when nothing is traced. */
function creationContext(subject: string, eventId: string): string | undefined {
  // An unsampled trace: no span, but its context goes with the event, so its consumers keep the decision.
  if (unsampledTraceOf(context.active())) return traceparentOf();
  if (!trace.getActiveSpan()) return undefined;
  const span = tracer.startSpan(`create ${subject}`, {
    kind: SpanKind.PRODUCER,
    attributes: natsMessagingAttributes(subject, { type: 'create', name: 'create' }, { 'messaging.message.id': eventId }),
  });
  span.end();
  return traceparentOf(trace.setSpan(context.active(), span));
}
