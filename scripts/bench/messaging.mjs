#!/usr/bin/env node
// `npm run bench:messaging`: 100 users, 1M direct messages seeded (4,950 conversations, ~200 messages
// each) straight into messaging's store; then through the gateway (HTTP → NATS → messaging → the
// MongoDB-wire store): send a message, list a conversation's messages (a page of 20), and list my
// conversations (a page of 20 with last message and unread count). Prints req/s, p50, p95, p99.
// Yardstick, measured in the same run: GET /users/me through the same gateway at the same
// concurrency (the request path with a primary-key read), interleaved: per round the yardstick,
// then each subject, the yardstick run just before it as its pair (BENCH_RESULT lines for `npm run bench`).
// BENCH_MESSAGES, BENCH_REQUESTS, BENCH_CONCURRENCY, BENCH_USERS, BENCH_ROUNDS (3) change the sizes;
// --quick: 100k messages, 200 requests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from '../lib/proc.ts';
import { emitBenchResult, isQuick } from './lib/result.ts';
import { median, percentile, withRunningStack } from './stack.mjs';

const QUICK = isQuick();
const USERS = Number(process.env.BENCH_USERS ?? 100);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? (QUICK ? 100_000 : 1_000_000));
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? (QUICK ? 200 : 300));
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 3));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function measure(name, fn, warmUp = true) {
  const latencies = [];
  let next = 0;
  let errors = 0;
  const worker = async (total, record) => {
    while (next < total) {
      const i = next++;
      const t = performance.now();
      try {
        await fn(i);
      } catch (error) {
        errors++;
        if (errors <= 3) console.error(`${name}: ${error.message}`);
      }
      if (record) latencies.push(performance.now() - t);
    }
  };
  if (warmUp) await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(Math.min(200, REQUESTS), false)));
  next = 0;
  errors = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(REQUESTS, true)));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    errors,
    'req/s': Math.round(latencies.length / seconds),
    'p50 ms': +percentile(latencies, 50).toFixed(2),
    'p95 ms': +percentile(latencies, 95).toFixed(2),
    'p99 ms': +percentile(latencies, 99).toFixed(2),
  };
}

await withRunningStack(async ({ s, env }) => {
  const gateway = `http://127.0.0.1:${s.ports.gateway}`;
  const call = async (method, path, token, body) => {
    const res = await fetch(gateway + path, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : undefined;
  };

  console.log(`registering ${USERS} users through the gateway…`);
  const run_ = Date.now().toString(36);
  const users = [];
  for (let i = 0; i < USERS; i++) {
    const email = `bench-msg-${run_}-${i}@example.com`;
    const { id } = await call('POST', '/auth/register', undefined, { email, name: `Bench ${i}`, password: 'bench-password' });
    const { accessToken } = await call('POST', '/auth/login', undefined, { email, password: 'bench-password' });
    users.push({ id: id.toLowerCase(), token: accessToken });
  }
  const usersFile = join(s.dataDir, 'bench-messaging-users.txt');
  writeFileSync(usersFile, users.map((u) => u.id).join('\n'));

  console.log(`seeding ${MESSAGES} messages over every pair of the ${USERS} users (bulk, through messaging's store code)…`);
  const seedOut = await run(
    process.execPath,
    [join(ROOT, 'dist/apps/messaging/src/cli/seed.js'), String(MESSAGES), '--users', usersFile, '--batch', '5000', '--reset'],
    { env: env.messaging, quiet: true },
  );
  const seedLine = seedOut.split('\n').find((l) => l.startsWith('seeded')) ?? seedOut.trim();
  console.log(seedLine);

  const pair = (i) => {
    const a = users[(i * 7) % USERS];
    let b = users[(i * 13 + 1) % USERS];
    if (b === a) b = users[(((i * 13 + 1) % USERS) + 1) % USERS];
    return [a, b];
  };
  const conversationId = (a, b) => [a.id, b.id].sort().join('_');
  // A sanity check that the seeded history is there before measuring.
  const [a0, b0] = pair(0);
  const first = await call('GET', `/conversations/${conversationId(a0, b0)}/messages?limit=20`, a0.token);
  const mine = await call('GET', '/conversations?limit=20', a0.token);
  console.log(
    `conversation ${conversationId(a0, b0).slice(0, 13)}…: newest seq ${first.items[0]?.seq}, page of ${first.items.length}; user 0 sees ${mine.items.length} conversations on the first page`,
  );

  const subjects = {
    'POST /messages (send)': (i) => {
      const [a, b] = pair(i);
      return call('POST', '/messages', a.token, { recipientId: b.id, text: `bench message ${i}: the lamp arrived, thanks!` });
    },
    'GET /conversations/:id/messages': (i) => {
      const [a, b] = pair(i + 17);
      return call('GET', `/conversations/${conversationId(a, b)}/messages?limit=20`, a.token);
    },
    'GET /conversations': (i) => call('GET', '/conversations?limit=20', users[i % USERS].token),
  };
  const yardstick = (i) => call('GET', '/users/me', users[i % USERS].token);
  const rows = [];
  const pairs = Object.fromEntries(Object.keys(subjects).map((name) => [name, { rps: [], p95: [] }]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, fn] of Object.entries(subjects)) {
      console.log(`round ${round}/${ROUNDS}: GET /users/me (yardstick), then ${name}…`);
      const y = await measure(`GET /users/me (yardstick) #${round}`, yardstick, round === 1);
      const x = await measure(`${name} #${round}`, fn, round === 1);
      rows.push(y, x);
      pairs[name].rps.push([y['req/s'], x['req/s']]);
      pairs[name].p95.push([y['p95 ms'], x['p95 ms']]);
    }
  }
  console.log(`\nresult (${REQUESTS} requests each, ${CONCURRENCY} at a time, over ${MESSAGES} seeded messages, ${USERS} users)`);
  console.table(Object.fromEntries(rows.map(({ name, ...r }) => [name, r])));
  for (const [name, { rps, p95 }] of Object.entries(pairs)) {
    console.log(`${name}: median ${median(rps.map(([, x]) => x))} req/s, p95 ${median(p95.map(([, x]) => x))} ms`);
    const common = { bench: 'messaging', yardstick: `GET /users/me through the gateway, ${CONCURRENCY} at a time`, subject: `gateway ${name}` };
    emitBenchResult({ ...common, figure: `req/s ${name}`, unit: 'req/s', pairs: rps, higherIsBetter: true });
    emitBenchResult({ ...common, figure: `p95 ${name}`, unit: 'ms', pairs: p95, higherIsBetter: false });
  }
  console.log(`seed: ${seedLine}`);
});
