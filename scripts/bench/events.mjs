#!/usr/bin/env node
// `npm run bench:events`: commit → consumer-handled latency at a steady 500 events/s.
// A wallet credit is committed by users (ledger row + outbox row in one transaction); the relay,
// woken by LISTEN/NOTIFY, publishes it to JetStream; a durable consumer (platform EventConsumer)
// handles it. Latency = handled time − the moment the credit's RPC reply (sent after commit) arrived.
// Target: p99 ≤ 50 ms.
// Yardstick, measured in the same run: the bus alone — an event published straight to a scratch
// stream (latency from the publish) and handled by the same EventConsumer, no outbox, no
// store. Interleaved: BENCH_ROUNDS rounds (3) of the yardstick then the subject, BENCH_SECONDS
// each (10; --quick 4); BENCH_RESULT lines pair each subject window with the yardstick's before it.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../lib/proc.ts';
import { opsNatsOptions } from '../lib/stack.ts';
import { emitBenchResult, isQuick } from './lib/result.ts';
import { median, percentile, withRunningStack } from './stack.mjs';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? (isQuick() ? 4 : 10));
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 3));
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const YARDSTICK_STREAM = 'BENCH_EVENTS_YARDSTICK';
const YARDSTICK_SUBJECT = 'bench.events.yardstick.v1';

const platform = await import(pathToFileURL(join(ROOT, 'dist/libs/platform/src/index.js')).href);
const { NatsLink, RpcClient, EventConsumer } = platform;
const { UsersRpc } = await import(pathToFileURL(join(ROOT, 'dist/libs/contracts/src/index.js')).href);
const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');

await withRunningStack(async ({ s }) => {
  const opsNats = opsNatsOptions(s);
  const link = await NatsLink.open({ ...opsNats, servers: [opsNats.servers], name: 'bench-events' });
  const rpc = new RpcClient(link, 5_000);
  const user = await rpc.send(UsersRpc.register, { email: `bench-ev-${Date.now()}@example.com`, name: 'Bench', password: 'bench-password' });
  const jsm = await jetstreamManager(link.connection);
  await jsm.streams.add({ name: YARDSTICK_STREAM, subjects: [YARDSTICK_SUBJECT] });
  const js = jetstream(link.connection);

  const committedAt = new Map();
  const handledAt = new Map();
  // The bench's consumers keep their "already handled" set in memory: they measure delivery, not a store.
  const seen = new Set();
  const inbox = { once: async (_c, id, effect) => (seen.has(id) ? false : (await effect(null), seen.add(id), true)) };
  const consumer = new EventConsumer(link.connection, {
    service: 'analytics',
    durable: `bench-events-${Date.now()}`,
    stream: 'EVENTS_USERS',
    subjects: ['events.users.WalletCredited.v1'],
    inbox,
    handle: async (event) => {
      if (event.data.userId === user.id && event.data.idempotencyKey.startsWith('bench-'))
        handledAt.set(event.data.idempotencyKey, performance.now());
    },
  });
  const yardstickConsumer = new EventConsumer(link.connection, {
    service: 'analytics',
    durable: `bench-events-yardstick-${Date.now()}`,
    stream: YARDSTICK_STREAM,
    subjects: [YARDSTICK_SUBJECT],
    inbox,
    handle: async (event) => void handledAt.set(event.data.key, performance.now()),
  });
  await consumer.start();
  await yardstickConsumer.start();

  // A credit refused by users' store gate (its heartbeat late on a busy machine: UNAVAILABLE) or
  // not answered in time (TIMEOUT) is sent again with the same key, which makes it harmless; the latency runs from the reply that
  // says it is committed, so a retry does not count against the bus.
  const credit = async (key, attempt = 1) => {
    try {
      return await rpc.send(UsersRpc.creditWallet, { userId: user.id, amountCents: 1, idempotencyKey: key });
    } catch (error) {
      if ((error.code !== 'UNAVAILABLE' && error.code !== 'TIMEOUT') || attempt >= 10) throw error;
      await new Promise((r) => setTimeout(r, 200));
      return credit(key, attempt + 1);
    }
  };
  const publishDirect = (key) =>
    js.publish(
      YARDSTICK_SUBJECT,
      JSON.stringify({
        id: randomUUID(),
        type: 'BenchYardstick',
        version: 1,
        occurredAt: new Date().toISOString(),
        producer: 'bench',
        data: { key },
      }),
    );

  // Sends `count` events at a steady RATE; resolves with how long sending took.
  async function drive(count, prefix, send, onCommitted) {
    const start = performance.now();
    const inflight = [];
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const key = `${prefix}-${i}`;
      inflight.push(send(key).then(() => onCommitted(key)));
    }
    await Promise.all(inflight);
    return (performance.now() - start) / 1000;
  }

  /**
   * One window: `total` events at RATE, then their latencies to handled: from the reply that says
   * the credit is committed, or for the yardstick from the moment it is published (its JetStream
   * ack often arrives after the consumer has handled it, which would make the latency 0).
   */
  async function window(name, prefix, send, fromSend = false) {
    const total = RATE * SECONDS;
    const keys = [];
    const timed = fromSend ? (key) => (committedAt.set(key, performance.now()), send(key)) : send;
    const sentSeconds = await drive(total, prefix, timed, (key) => (fromSend || committedAt.set(key, performance.now()), keys.push(key)));
    const deadline = Date.now() + 30_000;
    const handled = () => keys.filter((k) => handledAt.has(k)).length;
    while (handled() < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const latencies = keys
      .filter((k) => handledAt.has(k))
      .map((k) => Math.max(0, handledAt.get(k) - committedAt.get(k)))
      .sort((a, b) => a - b);
    return {
      name,
      events: latencies.length,
      lost: total - latencies.length,
      'achieved rate/s': Math.round(total / sentSeconds),
      'p50 ms': +percentile(latencies, 50).toFixed(1),
      'p99 ms': +percentile(latencies, 99).toFixed(1),
      'max ms': +latencies[latencies.length - 1].toFixed(1),
    };
  }

  // Warm-up (JIT, connection pools, query plans), not measured: the first second otherwise dominates p99.
  console.log(`warm-up: ${WARMUP_SECONDS}s at ${RATE}/s each way…`);
  await drive(RATE * WARMUP_SECONDS, 'warm', credit, () => {});
  await drive(RATE * WARMUP_SECONDS, 'warm-direct', publishDirect, () => {});
  const rows = [];
  const pairs = { p50: [], p99: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round}/${ROUNDS}: ${RATE * SECONDS} events straight to JetStream (yardstick), then as many wallet credits…`);
    const y = await window(`JetStream publish → handled (yardstick) #${round}`, `direct-${round}`, publishDirect, true);
    const x = await window(`commit → outbox → handled #${round}`, `bench-${round}`, credit);
    rows.push(y, x);
    pairs.p50.push([y['p50 ms'], x['p50 ms']]);
    pairs.p99.push([y['p99 ms'], x['p99 ms']]);
  }
  await consumer.stop();
  await yardstickConsumer.stop();
  await jsm.streams.delete(YARDSTICK_STREAM).catch(() => undefined);
  await link.close();

  console.log('\nresult');
  console.table(Object.fromEntries(rows.map(({ name, ...r }) => [name, r])));
  console.log(`commit → handled: median p99 ${median(pairs.p99.map(([, x]) => x))} ms (target: p99 ≤ 50 ms)`);
  const common = {
    bench: 'events',
    unit: 'ms',
    yardstick: `JetStream publish → EventConsumer handled, no outbox or store, ${RATE}/s`,
    subject: `wallet credit committed → outbox relay → EventConsumer handled, ${RATE}/s`,
    higherIsBetter: false,
  };
  emitBenchResult({ ...common, figure: 'p50 commit → handled', pairs: pairs.p50 });
  emitBenchResult({ ...common, figure: 'p99 commit → handled', pairs: pairs.p99, target: 'p99 ≤ 50 ms' });
});
