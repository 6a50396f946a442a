#!/usr/bin/env node
// `npm run bench:events`: commit → consumer-handled latency at a steady 500 events/s.
// A wallet credit is committed by users (ledger row + outbox row in one transaction); the relay,
// woken by LISTEN/NOTIFY, publishes it to JetStream; a durable consumer (platform EventConsumer)
// handles it. Latency = handled time − the moment the credit's RPC reply (sent after commit) arrived.
// Target: p99 ≤ 50 ms.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../lib/proc.ts';
import { opsNatsOptions } from '../lib/stack.ts';
import { percentile, withRunningStack } from './stack.mjs';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);

const platform = await import(pathToFileURL(join(ROOT, 'dist/libs/platform/src/index.js')).href);
const { NatsLink, RpcClient, EventConsumer } = platform;
const { UsersRpc } = await import(pathToFileURL(join(ROOT, 'dist/libs/contracts/src/index.js')).href);

await withRunningStack(async ({ s }) => {
  const opsNats = opsNatsOptions(s);
  const link = await NatsLink.open({ ...opsNats, servers: [opsNats.servers], name: 'bench-events' });
  const rpc = new RpcClient(link, 5_000);
  const user = await rpc.send(UsersRpc.register, { email: `bench-ev-${Date.now()}@example.com`, name: 'Bench', password: 'bench-password' });

  const committedAt = new Map();
  const handledAt = new Map();
  // The bench's consumer keeps its "already handled" set in memory: it measures delivery, not a store.
  const seen = new Set();
  const consumer = new EventConsumer(link.connection, {
    service: 'analytics',
    durable: `bench-events-${Date.now()}`,
    stream: 'EVENTS_USERS',
    subjects: ['events.users.WalletCredited.v1'],
    inbox: { once: async (_c, id, effect) => (seen.has(id) ? false : (await effect(null), seen.add(id), true)) },
    handle: async (event) => {
      if (event.data.userId === user.id && event.data.idempotencyKey.startsWith('bench-'))
        handledAt.set(event.data.idempotencyKey, performance.now());
    },
  });
  await consumer.start();

  // Drives credits at a steady RATE; resolves with how long sending took.
  async function drive(count, prefix, onCommitted) {
    const start = performance.now();
    const inflight = [];
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const key = `${prefix}-${i}`;
      inflight.push(rpc.send(UsersRpc.creditWallet, { userId: user.id, amountCents: 1, idempotencyKey: key }).then(() => onCommitted(key)));
    }
    await Promise.all(inflight);
    return (performance.now() - start) / 1000;
  }

  // Warm-up (JIT, connection pools, query plans), not measured: the first second otherwise dominates p99.
  console.log(`warm-up: ${WARMUP_SECONDS}s at ${RATE}/s…`);
  await drive(RATE * WARMUP_SECONDS, 'warm', () => {});
  const total = RATE * SECONDS;
  console.log(`measuring: ${total} wallet credits at ${RATE}/s…`);
  const elapsedSend = await drive(total, 'bench', (key) => committedAt.set(key, performance.now()));
  const sentSeconds = elapsedSend;
  const deadline = Date.now() + 30_000;
  while (handledAt.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await consumer.stop();
  await link.close();

  const latencyOf = (k) => Math.max(0, handledAt.get(k) - committedAt.get(k));
  const keys = [...committedAt.keys()].filter((k) => handledAt.has(k));
  const latencies = keys.map(latencyOf).sort((a, b) => a - b);
  if (process.env.BENCH_DEBUG) {
    for (let sec = 0; sec < SECONDS; sec++) {
      const slice = keys
        .filter((k) => Number(k.split('-')[1]) >= sec * RATE && Number(k.split('-')[1]) < (sec + 1) * RATE)
        .map(latencyOf)
        .sort((a, b) => a - b);
      console.log(
        `second ${sec}: p50 ${percentile(slice, 50).toFixed(1)} p99 ${percentile(slice, 99).toFixed(1)} max ${slice[slice.length - 1].toFixed(1)}`,
      );
    }
  }
  console.log('\nresult');
  console.table({
    'commit → handled': {
      events: latencies.length,
      lost: total - handledAt.size,
      'achieved rate/s': Math.round(total / sentSeconds),
      'p50 ms': +percentile(latencies, 50).toFixed(1),
      'p99 ms': +percentile(latencies, 99).toFixed(1),
      'max ms': +latencies[latencies.length - 1].toFixed(1),
    },
  });
  console.log('target: p99 ≤ 50 ms');
});
