import { loadMessagingConfig } from '../src/config.js';
import { conversationIdOf, messageIdOf } from '../src/domain/conversation.js';
import { ensureIndexes } from '../src/store/indexes.js';
import { MessagingMongo } from '../src/store/messaging-mongo.js';
import { indexServes, shapesOf, type IndexKey, type QueryShape } from './query-coverage.js';

const shape = (command: string, body: Record<string, unknown>): QueryShape[] => shapesOf({ commandName: command, command: { [command]: 'c', ...body } });
const served = (key: IndexKey, shapes: QueryShape[]) => shapes.every((s) => indexServes(key, s));

/** The rule the query-coverage checks of the other messaging suites apply, checked on its own. */
describe('messaging indexes: the query-coverage rule', () => {
  const userNewest: IndexKey = [['userId', 1], ['_id', -1]];
  const userUnreadNewest: IndexKey = [['userId', 1], ['readAt', 1], ['_id', -1]];

  it('accepts an equality prefix followed by the sort, in either direction, with a range on the sort key', () => {
    expect(served(userNewest, shape('find', { filter: { userId: 'u', _id: { $lt: 'x' } }, sort: { _id: -1 } }))).toBe(true);
    expect(served(userNewest, shape('find', { filter: { userId: 'u' }, sort: { _id: 1 } }))).toBe(true);
    expect(served(userUnreadNewest, shape('find', { filter: { userId: 'u', readAt: null }, sort: { _id: -1 } }))).toBe(true);
    expect(served(userUnreadNewest, shape('aggregate', { pipeline: [{ $match: { userId: 'u', readAt: null } }, { $group: { _id: 1, n: { $sum: 1 } } }] }))).toBe(true);
  });

  it('refuses a filter that does not bound the first key field (a scan), and a sort the key does not give', () => {
    expect(served(userNewest, shape('find', { filter: { readAt: null } }))).toBe(false);
    expect(served(userNewest, shape('update', { updates: [{ q: { eventId: 'e' }, u: {} }] }))).toBe(false);
    expect(served(userNewest, shape('find', { filter: { userId: { $ne: 'u' } } }))).toBe(false);
    // readAt sits between userId and _id and is not pinned: the index order is not _id order.
    expect(served(userUnreadNewest, shape('find', { filter: { userId: 'u' }, sort: { _id: -1 } }))).toBe(false);
    expect(served(userNewest, shape('find', { filter: { userId: 'u' }, sort: { createdAt: -1 } }))).toBe(false);
    expect(served([['a', 1], ['b', 1]], shape('find', { filter: { a: { $gt: 0 } }, sort: { a: 1, b: -1 } }))).toBe(false);
    expect(served([['a', 1], ['b', 1]], shape('find', { filter: { a: 1 }, sort: { a: 1, b: -1 } }))).toBe(true); // a pinned: b descending is the key reversed
  });

  it('plans each $or branch on its own', () => {
    const recent: IndexKey = [['participants', 1], ['lastMessageAt', -1], ['_id', -1]];
    const at = new Date();
    const page = shape('find', { filter: { participants: 'u', lastSeq: { $gt: 0 }, $or: [{ lastMessageAt: { $lt: at } }, { lastMessageAt: at, _id: { $lt: 'c' } }] }, sort: { lastMessageAt: -1, _id: -1 } });
    expect(page).toHaveLength(2);
    expect(served(recent, page)).toBe(true);
    expect(served([['lastMessageAt', -1]], page)).toBe(false);
  });

  it('ignores commands that do not query', () => {
    expect(shapesOf({ commandName: 'insert', command: { insert: 'c', documents: [{}] } })).toEqual([]);
    expect(shapesOf({ commandName: 'ping', command: { ping: 1 } })).toEqual([]);
  });
});

/** What the server does with a message lookup, the one query shape FerretDB 1.x can push down. */
describe('messaging indexes: the server (integration)', () => {
  let mongo: MessagingMongo;
  beforeAll(async () => {
    mongo = new MessagingMongo(loadMessagingConfig());
    await ensureIndexes(mongo.connection);
  });
  afterAll(() => mongo?.onApplicationShutdown());

  it('finds a message by _id through an index, not by reading the collection', async () => {
    await mongo.connection.db!.createCollection('messages').catch(() => undefined); // exists already: fine
    const id = messageIdOf(conversationIdOf('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'), 1);
    const plan = await mongo.connection.db!.command({ explain: { find: 'messages', filter: { _id: id }, limit: 1 }, verbosity: 'queryPlanner' });
    if (await mongo.isFerretDb()) {
      // FerretDB answers with its backend's plan: PostgreSQL's EXPLAIN (the stack's backend) or
      // SQLite's EXPLAIN QUERY PLAN. With the project's patches both use the `_id` index; unpatched,
      // both read the whole table ("Seq Scan", "SCAN …").
      const text = JSON.stringify(plan.queryPlanner);
      expect(plan.filterPushdown).toBe(true);
      const pg = (plan.queryPlanner as { Plan?: Record<string, string> }).Plan;
      if (pg) expect(pg).toMatchObject({ 'Node Type': expect.stringMatching(/^Index (Only )?Scan$/), 'Index Cond': expect.stringMatching(/ -> '_id'::text\) = /) });
      else expect(text).toMatch(/SEARCH \S+ USING INDEX \S+__id_/);
      expect(text).not.toMatch(/Seq Scan|\bSCAN\b/);
    } else {
      expect(JSON.stringify(plan.queryPlanner.winningPlan)).toMatch(/IDHACK|EXPRESS_IXSCAN|IXSCAN/);
      expect(JSON.stringify(plan.queryPlanner.winningPlan)).not.toMatch(/COLLSCAN/);
    }
  });
});
