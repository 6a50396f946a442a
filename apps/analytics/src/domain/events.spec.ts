import { classify, toClickHouseTime, type Classified, type IncomingMessage } from './events.js';

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
});
