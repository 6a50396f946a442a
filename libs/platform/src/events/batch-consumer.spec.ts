import type { JsMsg } from '@nats-io/jetstream';
import { streamSequenceOf } from './batch-consumer.js';

/** A delivered message as far as streamSequenceOf reads it: its reply subject; `seq` (nats.js' own parse) says it was asked. */
const delivered = (reply: string): JsMsg =>
  ({
    reply,
    get seq(): number {
      throw new Error('left to msg.seq');
    },
  }) as unknown as JsMsg;

describe('streamSequenceOf (unit)', () => {
  it.each([
    ['the short form', '$JS.ACK.EVENTS_CART.analytics-ingest.1.123456.98.1764290000000000000.7', 123_456],
    ['a redelivery', '$JS.ACK.EVENTS_CART.analytics-ingest.3.42.1000.1764290000000000000.0', 42],
    ['the form with domain and account hash', '$JS.ACK.hub.ACCHASH.EVENTS_CART.analytics-ingest.1.777.98.1764290000000000000.7', 777],
    [
      'that form with its random token',
      '$JS.ACK._.ACCHASH.EVENTS_CART.analytics-ingest.1.9007199254740.98.1764290000000000000.7.abc',
      9_007_199_254_740,
    ],
  ])('reads the stream sequence from %s', (_name, reply, sequence) => {
    expect(streamSequenceOf(delivered(reply))).toBe(sequence);
  });

  it.each([
    ['not an ack subject', '_INBOX.abc.1'],
    ['too few tokens', '$JS.ACK.S.C.1'],
    ['a sequence that is not a number', '$JS.ACK.S.C.1.x2.3.4.5'],
    ['an empty sequence', '$JS.ACK.S.C.1..3.4.5'],
  ])('leaves %s to msg.seq', (_name, reply) => {
    expect(() => streamSequenceOf(delivered(reply))).toThrow('left to msg.seq');
  });
});
