import { jetstream } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { eventSubject, type EventEnvelope, type EventProducer } from '@polystore/contracts';
import { ensureEventStream } from '@polystore/platform';
import { opsNats as ops } from '../../../test/support/nats.js';

export { ops };
export { eventually } from '../../../test/support/eventually.js';

/**
 * Publishes an event the way its producer's relay does (Nats-Msg-Id = event id). `asRedelivery`
 * uses another Nats-Msg-Id, so JetStream stores it again and consumers see the same event twice.
 */
export async function publishEvent(nc: NatsConnection, event: EventEnvelope, { asRedelivery = false } = {}): Promise<void> {
  await ensureEventStream(nc, event.producer as EventProducer);
  await jetstream(nc).publish(eventSubject(event.producer as EventProducer, event.type, event.version), JSON.stringify(event), {
    msgID: asRedelivery ? `${event.id}:again:${Math.random()}` : event.id,
    headers: headers(),
  });
}
