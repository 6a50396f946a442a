import type { EventEnvelope } from '@polystore/contracts';
import { eventSubject } from '@polystore/contracts';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';

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

  /** Resolves once JetStream stored the event (or recognised it as a duplicate). */
  async publish(event: EventEnvelope): Promise<{ duplicate: boolean; seq: number }> {
    const h = headers();
    if (event.traceparent) h.set('traceparent', event.traceparent);
    const ack = await this.js.publish(this.subjectOf(event), JSON.stringify(event), {
      msgID: event.id,
      headers: h,
      timeout: this.ackTimeoutMs,
    });
    return { duplicate: ack.duplicate, seq: ack.seq };
  }
}
