import { EVENT_KINDS, isEventType, type EventData, type EventEnvelope, type EventType } from '@polystore/contracts';
import type { Inbox } from './consumer.js';

/**
 * A consumer's handlers by event type: the type string decides the payload type
 * (`EventData` in libs/contracts), so a handler needs no cast. Types without a handler are ignored.
 */
export type EventHandlers<TTx = void> = {
  readonly [K in EventType]?: (event: EventEnvelope<EventData[K]>, tx: TTx) => Promise<void>;
};

/**
 * Turns a handler map into an EventConsumer's `handle`: picks the handler by `event.type`. An event
 * of a type the map has no handler for is not this consumer's business and is passed over. One of a
 * handled type but another version than the contracts declare (a v2 published before this consumer
 * learnt it, a v1 left in the stream after the contracts moved on) is refused: its payload is not
 * the one the handler is typed for, and dropping it would lose it without a trace — refused, it is
 * retried and then dead-lettered, where an operator sees it.
 */
export function dispatchByType<TTx>(handlers: EventHandlers<TTx>): (event: EventEnvelope, tx: TTx) => Promise<void> {
  return async (event, tx) => {
    if (!isEventType(event.type)) return;
    // The one cast: the map's own type ties this handler to this type's payload.
    const handler = handlers[event.type] as ((event: EventEnvelope, tx: TTx) => Promise<void>) | undefined;
    if (!handler) return;
    const expected = EVENT_KINDS[event.type].version;
    if (event.version !== expected) throw new Error(`${event.type} v${event.version} is not the version this consumer handles (v${expected})`);
    await handler(event, tx);
  };
}

/**
 * For handlers that are idempotent by themselves (a unique key on what they write, a version
 * guard): nothing is recorded, and a redelivered event runs its handler again, to no effect.
 */
export const NO_INBOX: Inbox<void> = {
  async once(_consumer, _eventId, effect) {
    await effect(undefined);
    return true;
  },
};
