import { PassThrough } from 'node:stream';
import { Logger } from '@nestjs/common';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { DEAD_LETTER_STREAM, eventStreamName, UsersRpc, type EventEnvelope, type UserProfile } from '@polystore/contracts';
import { EventConsumer, EventPublisher, JsonLogger, NatsLink, ensureEventStream, newEvent } from '@polystore/platform';
import { AccountsService } from '../src/api/accounts.service.js';
import { usersInbox } from '../src/store/inbox.js';
import type { Tx } from '../src/store/prisma.js';
import { UsersDatabase } from '../src/store/users-database.js';
import { readEvents } from '../../../test/support/jetstream.js';
import { serviceForSuite, startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';
import { PrivateNats, freePort, privateNatsSettings, uniqueEmail, usersModule } from './support.js';

/** The users stream's events that `pick` accepts (see test/support/jetstream.ts). */
const eventsIn = (link: NatsLink, pick: (e: EventEnvelope) => boolean, count: number, timeoutMs = 10_000) =>
  readEvents(link.connection, eventStreamName('users'), 'events.users.>', pick, count, timeoutMs);

/**
 * The apps' JSON log lines at warn and above, while `fn` runs (then the suite's quiet logger again).
 */
async function logLinesOf(fn: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
  const out = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  out.on('data', (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((line) => lines.push(JSON.parse(line))),
  );
  Logger.overrideLogger(new JsonLogger('users', ['fatal', 'error', 'warn'], out));
  try {
    await fn();
  } finally {
    Logger.overrideLogger(new JsonLogger('users', ['fatal', 'error']));
  }
  await new Promise((resolve) => setImmediate(resolve));
  return lines;
}

/** Event types unique to this run, so a consumer reading from the start sees only this run's messages. */
const run = Date.now().toString(36);

describe('users events: outbox, relay and consumers (integration)', () => {
  describe('with the test stack NATS', () => {
    const suite = serviceForSuite({ service: 'users', module: usersModule() });

    it('publishes UserRegistered, UserProfileUpdated, WalletCredited and WalletDebited with Nats-Msg-Id = event id', async () => {
      const profile = await suite.rpc.send(UsersRpc.register, { email: uniqueEmail('ev'), name: 'Evi', password: 'password-1' });
      await suite.rpc.send(UsersRpc.updateProfile, { userId: profile.id, name: 'Evelyn' });
      await suite.rpc.send(UsersRpc.creditWallet, { userId: profile.id, amountCents: 900, idempotencyKey: 'ev-c' });
      await suite.rpc.send(UsersRpc.debitWallet, { userId: profile.id, amountCents: 400, idempotencyKey: 'ev-d' });
      await suite.rpc.send(UsersRpc.debitWallet, { userId: profile.id, amountCents: 400, idempotencyKey: 'ev-d' }); // replay: no new event

      const events = await eventsIn(suite.link, (e) => (e.data as { userId?: string } | undefined)?.userId === profile.id, 4);
      expect(events.map((e) => e.type)).toEqual(['UserRegistered', 'UserProfileUpdated', 'WalletCredited', 'WalletDebited']);
      for (const e of events) {
        expect(e.msgId).toBe(e.id);
        expect(e).toMatchObject({ producer: 'users', version: 1 });
        expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/); // UUIDv7
      }
      expect(events[3]!.data).toMatchObject({ amountCents: 400, balanceCents: 500, idempotencyKey: 'ev-d' });
      await new Promise((r) => setTimeout(r, 500));
      expect(await eventsIn(suite.link, (e) => (e.data as { userId?: string } | undefined)?.userId === profile.id, 5, 1_500)).toHaveLength(4);
    });

    it('with two instances relaying the same outbox, consumers see every event exactly once', async () => {
      const second = await startServiceForTest({ service: 'users', module: usersModule() });
      try {
        // 40 registrations, 8 at a time: both relays drain while commits keep coming. Not all 40 at
        // once: each hashes a password (scrypt, 4 libuv threads for both instances in this process),
        // and on a loaded machine 40 hashes queued behind each other outlast the caller's 10 s.
        const profiles: UserProfile[] = [];
        for (let wave = 0; wave < 5; wave++) {
          profiles.push(
            ...(await Promise.all(
              Array.from({ length: 8 }, (_, i) =>
                suite.rpc.send(UsersRpc.register, { email: uniqueEmail(`twin${wave * 8 + i}`), name: 'Twin', password: 'password-1' }),
              ),
            )),
          );
        }
        const ids = new Set(profiles.map((p) => p.id));
        const events = await eventsIn(
          suite.link,
          (e) => e.type === 'UserRegistered' && ids.has((e.data as { userId?: string } | undefined)?.userId ?? ''),
          40,
        );
        await new Promise((r) => setTimeout(r, 500));
        const again = await eventsIn(
          suite.link,
          (e) => e.type === 'UserRegistered' && ids.has((e.data as { userId?: string } | undefined)?.userId ?? ''),
          41,
          1_500,
        );
        expect(events).toHaveLength(40);
        expect(again).toHaveLength(40);
        expect(new Set(again.map((e) => e.id)).size).toBe(40);
      } finally {
        await second.close();
      }
    });

    it('marks relayed outbox rows as published', async () => {
      const db = suite.app.get(UsersDatabase);
      await new Promise((r) => setTimeout(r, 300));
      const pending = await db.prisma.outboxEvent.count({ where: { publishedAt: null } });
      expect(pending).toBe(0);
    });

    it('a consumer applies an event delivered twice only once, and retries a failing handler', async () => {
      const db = suite.app.get(UsersDatabase);
      await db.prisma.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS test_effects (event_id uuid, note text)');
      const durable = `test-effects-${Date.now()}`;
      let attempts = 0;
      const consumer = new EventConsumer<Tx>(suite.link.connection, {
        service: 'users',
        durable,
        stream: eventStreamName('users'),
        subjects: [`events.users.TestHappened${run}.v1`],
        inbox: usersInbox(db.prisma),
        backoffMs: [50],
        handle: async (event, tx) => {
          attempts++;
          await tx.$executeRaw`INSERT INTO test_effects (event_id, note) VALUES (${event.id}::uuid, ${durable})`;
          if (attempts === 1) throw new Error('crash after writing, before committing');
        },
      });
      const event = newEvent('users', { type: `TestHappened${run}`, version: 1 }, { n: 1 });
      const subject = `events.users.TestHappened${run}.v1`;
      const lines = await logLinesOf(async () => {
        await consumer.start();
        const js = jetstream(suite.link.connection);
        // The same envelope twice, under two message ids, so JetStream really delivers it twice.
        await js.publish(subject, JSON.stringify(event), { msgID: `${event.id}-a` });
        await js.publish(subject, JSON.stringify(event), { msgID: `${event.id}-b` });
        const deadline = Date.now() + 10_000;
        let info = await jetstreamManager(suite.link.connection).then((m) => m.consumers.info(eventStreamName('users'), durable));
        while (Date.now() < deadline && (info.num_ack_pending > 0 || info.num_pending > 0 || attempts < 2)) {
          await new Promise((r) => setTimeout(r, 100));
          info = await jetstreamManager(suite.link.connection).then((m) => m.consumers.info(eventStreamName('users'), durable));
        }
        await consumer.stop();
      });
      // The retry's warning names the event, where it came from and which consumer retries it.
      const retries = lines.filter((line) => line.level === 'warn' && String(line.msg).includes('retry in'));
      expect(retries).toHaveLength(1);
      expect(retries[0]).toMatchObject({ event_id: event.id, subject, consumer: durable, attempt: 1, retry_in_ms: 50 });
      expect(String(retries[0]!.msg)).toContain(event.id);
      const effects = await db.prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM test_effects WHERE note = ${durable}`;
      expect(Number(effects[0]!.n)).toBe(1);
      // The handler ran twice (a failure, then the retry); the duplicate was recognised by the inbox and not handled.
      expect(attempts).toBe(2);
    });

    it('moves an event that keeps failing to the dead-letter stream, and carries on with the next', async () => {
      const db = suite.app.get(UsersDatabase);
      const durable = `test-dlq-${Date.now()}`;
      const handled: string[] = [];
      const consumer = new EventConsumer<Tx>(suite.link.connection, {
        service: 'users',
        durable,
        stream: eventStreamName('users'),
        subjects: [`events.users.Poison${run}.v1`],
        inbox: usersInbox(db.prisma),
        maxDeliveries: 3,
        backoffMs: [20],
        handle: async (event) => {
          if ((event.data as { poison: boolean }).poison) throw new Error('cannot handle this one');
          handled.push(event.id);
        },
      });
      const publisher = new EventPublisher(suite.link.connection);
      const poison = newEvent('users', { type: `Poison${run}`, version: 1 }, { poison: true });
      const fine = newEvent('users', { type: `Poison${run}`, version: 1 }, { poison: false });
      const deadline = Date.now() + 10_000;
      let dead: { id: string; error?: string } | null = null;
      const lines = await logLinesOf(async () => {
        await consumer.start();
        await publisher.publish(poison);
        await publisher.publish(fine);
        while (Date.now() < deadline && !handled.includes(fine.id)) await new Promise((r) => setTimeout(r, 50));
        const dlq = await jetstream(suite.link.connection).consumers.get(DEAD_LETTER_STREAM, { filter_subjects: `deadletter.users.${durable}.>` });
        while (Date.now() < deadline && !dead) {
          const m = await dlq.next({ expires: 1_000 });
          if (m) dead = { id: m.json<EventEnvelope>().id, error: m.headers?.get('Polystore-Error') };
        }
        await consumer.stop();
      });
      expect(handled).toEqual([fine.id]);
      // Every line about the poison event carries its id: two retries, then the dead letter.
      const aboutPoison = lines.filter((line) => String(line.msg).includes(poison.id));
      expect(aboutPoison.map((line) => [line.level, line.event_id, line.consumer])).toEqual([
        ['warn', poison.id, durable],
        ['warn', poison.id, durable],
        ['error', poison.id, durable],
      ]);
      expect(dead).toEqual({ id: poison.id, error: 'cannot handle this one' });
    });
  });

  describe('while NATS is down', () => {
    let nats: PrivateNats;
    let users: ServiceUnderTest;

    beforeAll(async () => {
      nats = new PrivateNats(await freePort());
      await nats.start();
      users = await startServiceForTest({ service: 'users', module: usersModule({ outboxPollMs: 200 }), nats: privateNatsSettings(nats.url) });
    });
    afterAll(async () => {
      await users?.close();
      await nats.destroy();
    });

    it('keeps the event in the outbox and delivers it once NATS is back', async () => {
      await nats.stop();
      const accounts = users.app.get(AccountsService);
      const profile = await accounts.register({ email: uniqueEmail('offline'), name: 'Off Line', password: 'password-1' });
      const db = users.app.get(UsersDatabase);
      const row = await db.prisma.outboxEvent.findFirst({
        where: { type: 'UserRegistered', envelope: { path: ['data', 'userId'], equals: profile.id } },
      });
      expect(row?.publishedAt).toBeNull();

      await nats.start();
      const link = await NatsLink.open({ servers: [nats.url], name: 'offline-reader' });
      try {
        await ensureEventStream(link.connection, 'users');
        const events = await eventsIn(link, (e) => (e.data as { userId?: string } | undefined)?.userId === profile.id, 1, 20_000);
        expect(events.map((e) => [e.type, e.id])).toEqual([['UserRegistered', row!.id]]);
        const deadline = Date.now() + 5_000;
        while (Date.now() < deadline && (await db.prisma.outboxEvent.findUnique({ where: { id: row!.id } }))?.publishedAt === null) {
          await new Promise((r) => setTimeout(r, 100));
        }
        expect((await db.prisma.outboxEvent.findUnique({ where: { id: row!.id } }))?.publishedAt).not.toBeNull();
      } finally {
        await link.close();
      }
    }, 40_000);
  });
});
