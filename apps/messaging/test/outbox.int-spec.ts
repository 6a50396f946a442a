import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EventPublisher, NatsLink, ensureEventStream, isUnavailable } from '@polystore/platform';
import { eventStreamName, type MessageSentV1 } from '@polystore/contracts';
import { v7 as uuidv7 } from 'uuid';
import { ensureFerretdbBinary, startFerretdb } from '../../../scripts/lib/stores/ferretdb.ts';
import { readEvents } from '../../../test/support/jetstream.js';
import { freePort } from '../../../test/support/ports.js';
import { loadMessagingConfig } from '../src/config.js';
import { conversationIdOf } from '../src/domain/conversation.js';
import { messageSent } from '../src/events/message-events.js';
import { ConversationsStore, type NewMessage } from '../src/store/conversations.store.js';
import { INDEX_STEPS, ensureIndexes } from '../src/store/indexes.js';
import { MessagingMongo } from '../src/store/messaging-mongo.js';
import { MessagingOutbox, STALE_SEND_MS } from '../src/store/outbox.js';
import { QueryRecorder, withCommandMonitoring } from './query-coverage.js';
import { ops } from './support.js';

const newMessage = (senderId: string, recipientId: string, text: string, sendTime = Date.now()): NewMessage => {
  const conversationId = conversationIdOf(senderId, recipientId);
  const sentAt = new Date();
  const event = messageSent({ conversationId, senderId, recipientId, text, sentAt });
  // A send started `sendTime`: its id (a UUIDv7) carries that time.
  const sendId = uuidv7({ msecs: sendTime });
  return { conversationId, senderId, recipientId, text, sentAt, sendId, event: (seq) => ({ ...event.forSeq(seq), id: sendId }) };
};

/**
 * A send is three single-document writes (FerretDB 1.x has no multi-document transactions).
 * Each test stops a send after one of them, as a crash or a vanished store would, and checks
 * that nothing half-written is visible and that the relay finishes or clears what was left.
 */
describe('messaging store: sends without transactions (integration)', () => {
  let mongo: MessagingMongo;
  let store: ConversationsStore;
  let link: NatsLink;
  let queries: QueryRecorder;
  let publish: (events: import('@polystore/contracts').EventEnvelope[]) => Promise<string[]>;

  beforeAll(async () => {
    const config = loadMessagingConfig();
    mongo = new MessagingMongo({ ...config, mongodbUrl: withCommandMonitoring(config.mongodbUrl) });
    await ensureIndexes(mongo.connection);
    queries = new QueryRecorder(mongo.connection.getClient());
    store = new ConversationsStore(mongo);
    link = await NatsLink.open(ops('messaging-outbox-test'));
    await ensureEventStream(link.connection, 'messaging');
    const publisher = new EventPublisher(link.connection);
    publish = async (events) => {
      for (const e of events) await publisher.publish(e);
      return events.map((e) => e.id);
    };
  });
  afterAll(async () => {
    queries?.stop();
    await link?.close();
    await mongo?.onApplicationShutdown();
  });

  it('applies index steps once, records the version, and a second run changes nothing', async () => {
    const latest = Math.max(...INDEX_STEPS.map((s) => s.version));
    expect(await ensureIndexes(mongo.connection)).toBe(latest);
    expect(await mongo.connection.db!.collection('schema_versions').findOne({ _id: 'indexes' as never })).toMatchObject({ version: latest });
    for (const collection of ['notifications', 'watches', 'conversations']) {
      const names = (await mongo.connection.db!.collection(collection).listIndexes().toArray()).map((i) => i.name);
      for (const index of INDEX_STEPS.flatMap((s) => s.indexes).filter((i) => i.collection === collection)) expect(names).toContain(index.name);
    }
  });

  it('stopped after the reservation: no message shows, the next send takes seq 1, the relay clears the stale mark', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const abandoned = newMessage(a, b, 'lost', Date.now() - STALE_SEND_MS - 1_000);
    await store.reserve(abandoned.conversationId, abandoned.sendId, abandoned.sentAt);
    const reserved = (await store.get(abandoned.conversationId))!;
    expect(reserved).toMatchObject({ lastSeq: 0, pendingSends: [abandoned.sendId] });
    expect((await store.listFor(a, null, 10)).items).toEqual([]);

    const outbox = new MessagingOutbox(store);
    expect(await outbox.drain(100, publish)).toBeGreaterThanOrEqual(1); // found by the sweep: it is stale
    expect((await store.get(abandoned.conversationId))!.pendingSends).toEqual([]);
    expect((await store.send(newMessage(a, b, 'second try'))).seq).toBe(1);
  });

  it('stopped after the commit: the relay publishes the message and brings the summary up to it', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await store.send(newMessage(a, b, 'one'));
    const interrupted = newMessage(b, a, 'two', Date.now() - STALE_SEND_MS - 1_000);
    const conversation = await store.reserve(interrupted.conversationId, interrupted.sendId, interrupted.sentAt);
    const committed = await store.commit(interrupted, conversation.lastSeq);
    expect(committed.seq).toBe(2);
    // Not summarized yet: the conversation still ends at 1 for its readers.
    expect((await store.listFor(a, null, 10)).items[0]).toMatchObject({ unread: 0, lastMessage: { seq: 1 } });

    await new MessagingOutbox(store).drain(100, publish);
    const after = (await store.get(interrupted.conversationId))!;
    expect(after).toMatchObject({ lastSeq: 2, publishedSeq: 2, pendingSends: [] });
    expect(after.readSeq[b]).toBe(2);
    expect((await store.listFor(a, null, 10)).items[0]).toMatchObject({ unread: 1, lastMessage: { seq: 2, text: 'two' } });
    const [event] = await readEvents(link.connection, eventStreamName('messaging'), 'events.messaging.>', (e) => e.id === interrupted.sendId, 1);
    expect((event!.data as MessageSentV1).seq).toBe(2);
    expect((await mongo.models.messages.findById(committed._id).lean().exec())!.pendingEvents).toEqual([]);
  });

  it('relaying twice publishes nothing new and moves nothing back', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const sent = await store.send(newMessage(a, b, 'once'));
    const outbox = new MessagingOutbox(store);
    await outbox.relay(sent.conversationId, publish);
    const calls: string[] = [];
    await outbox.relay(sent.conversationId, async (events) => {
      calls.push(...events.map((e) => e.id));
      return publish(events);
    });
    expect(calls).toEqual([]);
    expect(await store.get(sent.conversationId)).toMatchObject({ lastSeq: 1, publishedSeq: 1 });
  });

  it('validates documents against the schema before writing', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const tooLong = newMessage(a, b, 'x'.repeat(4001));
    const conversation = await store.reserve(tooLong.conversationId, tooLong.sendId, tooLong.sentAt);
    await expect(store.commit(tooLong, conversation.lastSeq)).rejects.toThrow(/text.*longer than the maximum/);
    await expect(mongo.models.watches.create({ _id: 'x', userId: 'not-a-uuid', productId: randomUUID(), createdAt: new Date() })).rejects.toThrow(
      /userId must be a UUID/,
    );
    await expect(
      mongo.models.watches.create({ _id: 'y', userId: randomUUID(), productId: randomUUID(), createdAt: new Date(), extra: 1 } as never),
    ).rejects.toThrow(/not in schema/);
  });
  it('reports its backlog (metrics): one more pending send, and the oldest send’s time from its id', async () => {
    const outbox = new MessagingOutbox(store);
    const before = await outbox.backlog();
    const sendTime = Date.now() - 3_600_000;
    const waiting = newMessage(randomUUID(), randomUUID(), 'waiting', sendTime);
    await store.reserve(waiting.conversationId, waiting.sendId, waiting.sentAt);
    const after = await outbox.backlog();
    expect(after.pending).toBe(before.pending + 1);
    expect(after.oldestWrittenAt?.getTime()).toBe(Math.min(before.oldestWrittenAt?.getTime() ?? Infinity, sendTime));
  });

  // Last, so it sees every query the relay and the sends above sent.
  it('sent only queries an index serves (no collection scan, no sort in memory, on MongoDB)', async () => {
    expect(queries.shapes.length).toBeGreaterThan(20);
    expect(await queries.unserved()).toEqual([]);
  });
});

/** The store really going away: a private FerretDB the test stops and starts again. */
describe('messaging store: the store going away (integration)', () => {
  const dataDir = mkdtempSync(join(process.env.POLYSTORE_TEST_DATA_DIR ?? '/tmp', 'ferretdb-'));
  // Not a fixed number near the stack's: the kernel could hand that out to an outgoing connection.
  let port = 0;
  let server: { stop: () => Promise<void> } | null = null;
  let mongo: MessagingMongo;
  const start = async () => {
    server = await startFerretdb({ binary: await ensureFerretdbBinary(), port, dataDir });
  };

  beforeAll(async () => {
    port = await freePort();
    await start();
    mongo = new MessagingMongo({ mongodbUrl: `mongodb://127.0.0.1:${port}/messaging` });
    await ensureIndexes(mongo.connection);
  }, 60_000);
  afterAll(async () => {
    await mongo?.onApplicationShutdown();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails a send as unavailable while the store is down, with nothing half-written afterwards', async () => {
    const store = new ConversationsStore(mongo);
    const [a, b] = [randomUUID(), randomUUID()];
    expect((await store.send(newMessage(a, b, 'before'))).seq).toBe(1);
    await server!.stop();
    const error = await store.send(newMessage(a, b, 'while down')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isUnavailable(error)).toBe(true);
    await start();
    const conversation = await (async () => {
      for (let i = 0; i < 50; i++) {
        const c = await store.get(conversationIdOf(a, b)).catch(() => null);
        if (c) return c;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('store did not come back');
    })();
    expect(conversation.lastSeq).toBe(1);
    const page = await store.messagesPage(conversation, null, 10);
    expect(page.items.map((m) => m.text)).toEqual(['before']);
    expect((await store.send(newMessage(a, b, 'after'))).seq).toBe(2);
  }, 60_000);
});
