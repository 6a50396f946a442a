import { loadMessagingConfig } from '../src/config.js';
import { conversationIdOf, messageIdOf } from '../src/domain/conversation.js';
import { ensureIndexes } from '../src/store/indexes.js';
import { MessagingMongo } from '../src/store/messaging-mongo.js';
import { indexServes, shapesOf, type IndexKey, type QueryShape } from './query-coverage.js';

const shape = (command: string, body: Record<string, unknown>): QueryShape[] =>
  shapesOf({ commandName: command, command: { [command]: 'c', ...body } });
const served = (key: IndexKey, shapes: QueryShape[]) => shapes.every((s) => indexServes(key, s));

/** The rule the query-coverage checks of the other messaging suites apply, checked on its own. */
describe('messaging indexes: the query-coverage rule', () => {
  const userNewest: IndexKey = [
    ['userId', 1],
    ['_id', -1],
  ];
  const userUnreadNewest: IndexKey = [
    ['userId', 1],
    ['readAt', 1],
    ['_id', -1],
  ];

  it('accepts an equality prefix followed by the sort, in either direction, with a range on the sort key', () => {
    expect(served(userNewest, shape('find', { filter: { userId: 'u', _id: { $lt: 'x' } }, sort: { _id: -1 } }))).toBe(true);
    expect(served(userNewest, shape('find', { filter: { userId: 'u' }, sort: { _id: 1 } }))).toBe(true);
    expect(served(userUnreadNewest, shape('find', { filter: { userId: 'u', readAt: null }, sort: { _id: -1 } }))).toBe(true);
    expect(
      served(userUnreadNewest, shape('aggregate', { pipeline: [{ $match: { userId: 'u', readAt: null } }, { $group: { _id: 1, n: { $sum: 1 } } }] })),
    ).toBe(true);
  });

  it('refuses a filter that does not bound the first key field (a scan), and a sort the key does not give', () => {
    expect(served(userNewest, shape('find', { filter: { readAt: null } }))).toBe(false);
    expect(served(userNewest, shape('update', { updates: [{ q: { eventId: 'e' }, u: {} }] }))).toBe(false);
    expect(served(userNewest, shape('find', { filter: { userId: { $ne: 'u' } } }))).toBe(false);
    // readAt sits between userId and _id and is not pinned: the index order is not _id order.
    expect(served(userUnreadNewest, shape('find', { filter: { userId: 'u' }, sort: { _id: -1 } }))).toBe(false);
    expect(served(userNewest, shape('find', { filter: { userId: 'u' }, sort: { createdAt: -1 } }))).toBe(false);
    expect(
      served(
        [
          ['a', 1],
          ['b', 1],
        ],
        shape('find', { filter: { a: { $gt: 0 } }, sort: { a: 1, b: -1 } }),
      ),
    ).toBe(false);
    expect(
      served(
        [
          ['a', 1],
          ['b', 1],
        ],
        shape('find', { filter: { a: 1 }, sort: { a: 1, b: -1 } }),
      ),
    ).toBe(true); // a pinned: b descending is the key reversed
  });

  it('plans each $or branch on its own', () => {
    const recent: IndexKey = [
      ['participants', 1],
      ['lastMessageAt', -1],
      ['_id', -1],
    ];
    const at = new Date();
    const page = shape('find', {
      filter: { participants: 'u', lastSeq: { $gt: 0 }, $or: [{ lastMessageAt: { $lt: at } }, { lastMessageAt: at, _id: { $lt: 'c' } }] },
      sort: { lastMessageAt: -1, _id: -1 },
    });
    expect(page).toHaveLength(2);
    expect(served(recent, page)).toBe(true);
    expect(served([['lastMessageAt', -1]], page)).toBe(false);
  });

  it('ignores commands that do not query', () => {
    expect(shapesOf({ commandName: 'insert', command: { insert: 'c', documents: [{}] } })).toEqual([]);
    expect(shapesOf({ commandName: 'ping', command: { ping: 1 } })).toEqual([]);
  });
});

/** A node of PostgreSQL's EXPLAIN (FORMAT JSON) plan, as FerretDB passes it on. */
type PgPlanNode = { 'Node Type': string; 'Index Name'?: string; 'Index Cond'?: string; Plans?: PgPlanNode[] };
const planNodes = (node: PgPlanNode): PgPlanNode[] => [node, ...(node.Plans ?? []).flatMap(planNodes)];
/** Every string in a plan (SQLite's rows: "SEARCH t USING INDEX i (…)", "SCAN t"). */
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(stringsOf) : [];
/** The plan nodes that read an index by its condition (a Bitmap Heap Scan then fetches what its Bitmap Index Scan found). */
const INDEX_ACCESS = ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'];

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
      const pg = (plan.queryPlanner as { Plan?: PgPlanNode }).Plan;
      if (pg) {
        // What is proved is the index, not one plan shape: PostgreSQL may reach the row through
        // the `_id` btree directly (Index Scan, Index Only Scan) or through a bitmap built from it
        // (Bitmap Index Scan under a Bitmap Heap Scan), as its statistics suggest. Never a Seq Scan.
        const nodes = planNodes(pg);
        expect(nodes.map((n) => n['Node Type'])).not.toContain('Seq Scan');
        expect(nodes.filter((n) => INDEX_ACCESS.includes(n['Node Type']))).toContainEqual(
          expect.objectContaining({ 'Index Name': expect.stringMatching(/__id_/), 'Index Cond': expect.stringMatching(/ -> '_id'::text\) = /) }),
        );
      } else {
        expect(text).toMatch(/SEARCH \S+ USING (COVERING )?INDEX \S+__id_/);
        // A SCAN without an index reads the table.
        expect(stringsOf(plan.queryPlanner).filter((row) => /\bSCAN\b/.test(row) && !/ USING (COVERING )?INDEX /.test(row))).toEqual([]);
      }
    } else {
      expect(JSON.stringify(plan.queryPlanner.winningPlan)).toMatch(/IDHACK|EXPRESS_IXSCAN|IXSCAN/);
      expect(JSON.stringify(plan.queryPlanner.winningPlan)).not.toMatch(/COLLSCAN/);
    }
  });
});
