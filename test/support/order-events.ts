import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { OrdersEvents, eventSubject, type EventEnvelope, type OrderCancellationRequestedV1, type OrderCancelledV1 } from '@polystore/contracts';
import { newEvent } from '@polystore/platform';

/**
 * orders' events as the orders service publishes them, for the tests of the services that react to
 * them: published straight to JetStream (as the operator user), the way a consumer receives them.
 */
export async function publishEvent(nc: NatsConnection, event: EventEnvelope, msgID: string = event.id): Promise<void> {
  await jetstream(nc).publish(eventSubject(event.producer, event.type, event.version), JSON.stringify(event), { msgID });
}

/** A redelivery as the consumer sees it: the same event (same id) under another Nats-Msg-Id, so JetStream keeps both. */
export async function publishAgain(nc: NatsConnection, event: EventEnvelope): Promise<void> {
  await publishEvent(nc, event, randomUUID());
}

export function cancellationRequested(
  order: Pick<OrderCancellationRequestedV1, 'userId' | 'checkoutId' | 'lines' | 'totalCents'> & Partial<OrderCancellationRequestedV1>,
): EventEnvelope<OrderCancellationRequestedV1> {
  return newEvent('orders', OrdersEvents.OrderCancellationRequested, {
    orderId: randomUUID(),
    currency: 'EUR',
    requestedAt: new Date().toISOString(),
    ...order,
  });
}

export function orderCancelled(order: Pick<OrderCancelledV1, 'userId' | 'totalCents'> & Partial<OrderCancelledV1>): EventEnvelope<OrderCancelledV1> {
  return newEvent('orders', OrdersEvents.OrderCancelled, { orderId: randomUUID(), currency: 'EUR', cancelledAt: new Date().toISOString(), ...order });
}
