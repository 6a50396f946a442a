import { CartEvents } from '../cart/events.js';
import { GatewayEvents } from '../gateway/events.js';
import { MessagingEvents } from '../messaging/events.js';
import { ProductsEvents } from '../products/events.js';
import { UsersEvents } from '../users/events.js';
import { EVENT_KINDS, isEventType } from './catalog.js';

describe('event catalog', () => {
  it('holds every producer’s event types, none hiding another of the same name', () => {
    const declared: Array<{ type: string; version: number }> = [UsersEvents, ProductsEvents, CartEvents, MessagingEvents, GatewayEvents].flatMap(
      (events) => Object.values(events),
    );
    expect(Object.keys(EVENT_KINDS)).toHaveLength(declared.length);
    for (const kind of declared) expect((EVENT_KINDS as Record<string, unknown>)[kind.type]).toEqual(kind);
  });

  it('knows a declared type from any other string', () => {
    expect(isEventType('UserRegistered')).toBe(true);
    expect(isEventType('NoSuchThing')).toBe(false);
    expect(isEventType('toString')).toBe(false);
  });
});
