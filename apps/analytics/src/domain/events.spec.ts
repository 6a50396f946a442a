import { classify, isUuid, toClickHouseTime, type Classified, type IncomingMessage } from './events.js';

const reasonOf = (result: Classified): string | null => (result.ok ? null : result.row.reason);

const id = '0190a000-0000-7000-8000-000000000001';
const user = '0190a000-0000-7000-8000-0000000000aa';
const product = '0190a000-0000-7000-8000-0000000000bb';

const message = (envelope: Record<string, unknown>, subject?: string): IncomingMessage => ({
  stream: 'EVENTS_CART',
  subject: subject ?? `events.${envelope.producer as string}.${envelope.type as string}.v${envelope.version as number}`,
  streamSeq: 7,
  body: JSON.stringify(envelope),
});

const cartItemAdded = (data: Record<string, unknown> = {}) => ({
  id,
  type: 'CartItemAdded',
  version: 1,
  occurredAt: '2026-11-21T10:00:00.123Z',
  producer: 'cart',
  data: { userId: user, productId: product, quantity: 2, lineQuantity: 3, unitPriceCents: 1500, currency: 'EUR', ...data },
});

describe('analytics event contracts (unit)', () => {
  it('turns a valid event into a raw row, with its user and a ClickHouse timestamp', () => {
    const result = classify(message(cartItemAdded()));
    expect(result).toMatchObject({
      ok: true,
      row: {
        event_id: id,
        type: 'CartItemAdded',
        version: 1,
        producer: 'cart',
        occurred_at: '2026-11-21 10:00:00.123',
        user_id: user,
        stream: 'EVENTS_CART',
        stream_seq: 7,
      },
    });
    if (result.ok) expect(JSON.parse(result.row.data)).toMatchObject({ quantity: 2, currency: 'EUR' });
  });

  it('accepts an event type it has never heard of (raw table only), checking the envelope alone', () => {
    const result = classify(
      message({ id, type: 'MessageSent', version: 1, occurredAt: '2026-11-21T10:00:00Z', producer: 'messaging', data: { anything: [1, 2] } }),
    );
    expect(result.ok).toBe(true);
  });

  it.each([
    ['not JSON', '{"id": ', /not JSON/],
    ['a JSON array', '[1,2]', /not an event envelope/],
  ])('rejects %s with the reason', (_name, body, reason) => {
    const result = classify({ stream: 'EVENTS_CART', subject: 'events.cart.X.v1', streamSeq: 1, body });
    expect(result.ok).toBe(false);
    expect(reasonOf(result)).toMatch(reason);
  });

  it.each([
    ['a missing id', { id: undefined }, /id must be a UUID/],
    ['a bad timestamp', { occurredAt: 'yesterday' }, /occurredAt/],
    ['an unknown producer', { producer: 'billing' }, /producer must be one of/],
    ['a non-object data', { data: 'x' }, /data must be an object/],
    ['a zero quantity', { data: { ...cartItemAdded().data, quantity: 0 } }, /data\.quantity/],
    ['a fractional price', { data: { ...cartItemAdded().data, unitPriceCents: 1.5 } }, /data\.unitPriceCents/],
    ['a bad user id', { data: { ...cartItemAdded().data, userId: 'bob' } }, /data\.userId must be a UUID/],
  ])('rejects an event with %s, naming the field', (_name, change, reason) => {
    const envelope = { ...cartItemAdded(), ...change };
    const result = classify(message(envelope, 'events.cart.CartItemAdded.v1'));
    expect(result.ok).toBe(false);
    expect(result.row).toMatchObject({ stream: 'EVENTS_CART', stream_seq: 7, subject: 'events.cart.CartItemAdded.v1' });
    expect(reasonOf(result)).toMatch(reason);
  });

  it('rejects an event published under a subject that does not match its envelope', () => {
    const result = classify(message(cartItemAdded(), 'events.cart.CheckoutCompleted.v1'));
    expect(result.ok).toBe(false);
    expect(reasonOf(result)).toMatch(/does not match the envelope/);
  });

  it('checks each checkout line', () => {
    const checkout = (lines: unknown) => ({
      id,
      type: 'CheckoutCompleted',
      version: 1,
      occurredAt: '2026-11-21T10:00:00Z',
      producer: 'cart',
      data: { checkoutId: 'c-1', userId: user, totalCents: 3000, currency: 'EUR', completedAt: '2026-11-21T10:00:00Z', lines },
    });
    const line = { productId: product, name: 'Mug', quantity: 2, unitPriceCents: 1500, lineTotalCents: 3000 };
    expect(classify(message(checkout([line]))).ok).toBe(true);
    const bad = classify(message(checkout([line, { ...line, quantity: -1 }])));
    expect(reasonOf(bad)).toBe('data.lines[1].quantity must be a whole number from 1 to 1000000');
    expect(reasonOf(classify(message(checkout([]))))).toMatch(/data\.lines must be a list of 1 to 1000 lines/);
  });

  it('writes timestamps as UTC with milliseconds, whatever the offset they came with', () => {
    expect(toClickHouseTime('2026-11-21T12:00:00.5+02:00')).toBe('2026-11-21 10:00:00.500');
  });

  it('checks UUIDs by hand exactly as the 8-4-4-4-12 hex pattern does, either case', () => {
    const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const samples = [
      id,
      id.toUpperCase(),
      id.replace('a', 'g'),
      id.replace('-', 'x'),
      `${id}0`,
      id.slice(1),
      id.replace(/-/g, ''),
      ` ${id.slice(1)}`,
      id.replace('0', '/'),
      id.replace('0', ':'),
      id.replace('a', '`'),
      id.replace('a', 'G'),
      '',
    ];
    for (const sample of samples) expect([sample, isUuid(sample)]).toEqual([sample, pattern.test(sample)]);
    expect(isUuid(42)).toBe(false);
    expect(isUuid(null)).toBe(false);
  });

  it('accepts exactly the timestamps Date.parse reads between 1970 and 2200, in toISOString() form and others', () => {
    const samples = [
      '2026-11-21T10:00:00.123Z',
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2199-12-31T23:59:59.999Z',
      '2199-12-31T24:00:00.000Z',
      '2026-02-30T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-00-01T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-01-32T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T24:00:00.001Z',
      '2026-01-01T23:60:00.000Z',
      '2026-01-01T23:59:60.000Z',
      '2026-01-01T10:00:00Z',
      '2026-01-01T10:00:00.5+02:00',
      '2026-01-01 10:00:00.000Z',
      '2026-01-01T10:00:00.000z',
    ];
    for (const occurredAt of samples) {
      const t = Date.parse(occurredAt);
      const expected = /T/.test(occurredAt) && /(Z|[+-]\d{2}:\d{2})$/.test(occurredAt) && !Number.isNaN(t) && t >= 0 && t < Date.UTC(2200, 0, 1);
      expect([occurredAt, classify(message({ ...cartItemAdded(), occurredAt })).ok]).toEqual([occurredAt, expected]);
    }
  });

  it('rejects a subject that only looks like the envelope (the version written otherwise, extra tokens)', () => {
    for (const subject of [
      'events.cart.CartItemAdded.v01',
      'events.cart.CartItemAdded.v1.x',
      'events.cart.CartItemAdded',
      'event.cart.CartItemAdded.v1',
    ]) {
      expect([subject, reasonOf(classify(message(cartItemAdded(), subject)))]).toEqual([
        subject,
        expect.stringMatching(/does not match the envelope/),
      ]);
    }
  });
});
