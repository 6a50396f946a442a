import { redisStatement, sanitizeSql } from './store-spans.js';

describe('store span statements', () => {
  it('keeps a SQL statement’s shape and drops its literals', () => {
    expect(sanitizeSql(`SELECT count() FROM analytics.events_raw WHERE user_id = 'ada@example.com' AND total > 4000 LIMIT 10`)).toBe(
      'SELECT count() FROM analytics.events_raw WHERE user_id = ? AND total > ? LIMIT ?',
    );
    expect(sanitizeSql(`INSERT INTO t VALUES ('it''s', -1.5)`)).toBe('INSERT INTO t VALUES (?, ?)');
    // Identifiers with digits and query parameters stay.
    expect(sanitizeSql('SELECT v1.col2 FROM events_v2 WHERE id = {id:String}')).toBe('SELECT v1.col2 FROM events_v2 WHERE id = {id:String}');
  });

  it('keeps a Redis command and its keys, never its values', () => {
    expect(redisStatement('hset', ['cart:carts:u1', 'p1', '{"secret":1}'])).toBe('hset cart:carts:u1 ? ?');
    expect(redisStatement('evalsha', ['abc123', 2, 'cart:carts:u1', 'cart:outbox', '{"id":"e1"}', 99])).toBe(
      'evalsha abc123 2 cart:carts:u1 cart:outbox ? ?',
    );
    expect(redisStatement('eval', ['return 1', 0, 'x'])).toBe('eval ? 0 ?');
    expect(redisStatement('ping', [])).toBe('ping');
    expect(redisStatement('set', [Buffer.from('k'), 'v'])).toBe('set ? ?');
  });
});
