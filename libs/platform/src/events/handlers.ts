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
 * of a type the map has no handler for is not this consumer's business and is passed over, and so
 * is one of another version than the contracts declare (say a v2 published beside v1 while
 * consumers move over): its payload is not the one the handler is typed for.
 */
export function dispatchByType<TTx>(handlers: EventHandlers<TTx>): (event: EventEnvelope, tx: TTx) => Promise<void> {
  return async (event, tx) => {
    if (!isEventType(event.type) || event.version !== EVENT_KINDS[event.type].version) return;
    // The one cast: the map's own type ties this handler to this type's payload.
    const handler = handlers[event.type] as ((event: EventEnvelope, tx: TTx) => Promise<void>) | undefined;
    await handler?.(event, tx);
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
