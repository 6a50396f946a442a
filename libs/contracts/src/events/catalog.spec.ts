import { ERASURE_PARTICIPANTS, EVENT_PRODUCERS } from '@polystore/manifest';
import { ErasureEvents } from '../erasure/events.js';
import { EVENTS_BY_PRODUCER, EVENT_KINDS, isEventType } from './catalog.js';

describe('event catalog', () => {
  it('holds every producer’s event types (every producer of the manifest), none hiding another of the same name', () => {
    expect(Object.keys(EVENTS_BY_PRODUCER).sort()).toEqual([...EVENT_PRODUCERS].sort());
    const declared: Array<{ type: string; version: number }> = Object.values(EVENTS_BY_PRODUCER).flatMap((events) => Object.values(events));
    // A type several producers declare is a shared contract (UserErased): declared alike, never two that differ.
    expect(Object.keys(EVENT_KINDS)).toHaveLength(new Set(declared.map((kind) => kind.type)).size);
    for (const kind of declared) expect((EVENT_KINDS as Record<string, unknown>)[kind.type]).toEqual(kind);
  });

  it('has every erasure participant of the manifest declare the shared UserErased contract', () => {
    for (const participant of ERASURE_PARTICIPANTS) {
      expect((EVENTS_BY_PRODUCER[participant] as Record<string, unknown>).UserErased).toEqual(ErasureEvents.UserErased);
    }
  });

  it('knows a declared type from any other string', () => {
    expect(isEventType('UserRegistered')).toBe(true);
    expect(isEventType('NoSuchThing')).toBe(false);
    expect(isEventType('toString')).toBe(false);
  });
});
