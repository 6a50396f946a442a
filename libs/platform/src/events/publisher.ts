import type { EventEnvelope } from '@polystore/contracts';
import { eventSubject } from '@polystore/contracts';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { SpanKind, inSpan, linksTo, natsMessagingAttributes } from '../telemetry/tracing.js';

/** Publishes envelopes to JetStream with Nats-Msg-Id = event id, waiting for the stream's ack. */
export class EventPublisher {
  private readonly js: JetStreamClient;

  constructor(
    nc: NatsConnection,
    private readonly ackTimeoutMs = 5_000,
  ) {
    this.js = jetstream(nc, { timeout: ackTimeoutMs });
  }

  subjectOf(event: Pick<EventEnvelope, 'producer' | 'type' | 'version'>): string {
    return eventSubject(event.producer, event.type, event.version);
  }

  /**
   * Resolves once JetStream stored the event (or recognised it as a duplicate). A PRODUCER span
   * `send <subject>` covers it, linked to the event's creation context (its `traceparent`, which
   * also travels as the message's `traceparent` header); its parent is whatever is active (for
   * the outbox relay: nothing, it is a trace of its own).
   */
  async publish(event: EventEnvelope): Promise<{ duplicate: boolean; seq: number }> {
    const subject = this.subjectOf(event);
    return inSpan(
      `send ${subject}`,
      {
        kind: SpanKind.PRODUCER,
        links: linksTo(event.traceparent),
        attributes: natsMessagingAttributes(subject, { type: 'send', name: 'publish' }, { 'messaging.message.id': event.id }),
      },
      async (span) => {
        const h = headers();
        if (event.traceparent) h.set('traceparent', event.traceparent);
        const ack = await this.js.publish(subject, JSON.stringify(event), { msgID: event.id, headers: h, timeout: this.ackTimeoutMs });
        if (ack.duplicate) span.setAttribute('messaging.nats.duplicate', true);
        return { duplicate: ack.duplicate, seq: ack.seq };
      },
    );
  }
}
