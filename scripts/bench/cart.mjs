#!/usr/bin/env node
// `npm run bench:cart`, in one run on the test stack:
// 1. GET /cart through the gateway (JWT → NATS → cart → Redis, a 5-line cart priced from cart's own
//    snapshots) against a bare Fastify hello, 50 connections each. Target: ≥ 30 % of bare, p99 ≤ 20 ms.
// 2. Checkouts per second: 1,000 products, 100 users, each user in a loop adding 3 lines and checking
//    out (reserve in products → debit in users → commit), all 100 at once.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { bareFastify, load, loadSummary, percentile, pool, withRunningStack } from './stack.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const opts = { connections: CONNECTIONS, seconds: DURATION };
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 1_000);
const USERS = Number(process.env.BENCH_USERS ?? 100);
const CHECKOUT_SECONDS = Number(process.env.BENCH_CHECKOUT_SECONDS ?? 20);

await withRunningStack(async ({ s, env }) => {
  const base = `http://127.0.0.1:${s.ports.gateway}`;
  const call = async (method, path, body, token, headers = {}) => {
    const res = await fetch(base + path, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const run = Date.now().toString(36);
  const account = async (tag) => {
    const email = `bench-${tag}-${run}@example.com`;
    await call('POST', '/auth/register', { email, name: `Bench ${tag}`, password: 'bench-password' });
    return { email, token: (await call('POST', '/auth/login', { email, password: 'bench-password' })).body.accessToken };
  };

  console.log(`setting up: ${PRODUCTS} products, ${USERS} users with funds…`);
  const admin = await account('admin');
  await promisify(execFile)(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', admin.email], { env: { ...process.env, ...env.users } });
  const adminToken = (await call('POST', '/auth/login', { email: admin.email, password: 'bench-password' })).body.accessToken;
  const products = await pool(
    Array.from({ length: PRODUCTS }, (_, i) => i),
    8,
    async (i) => {
      const created = await call(
        'POST',
        '/products',
        {
          sku: `CARTB-${run}-${i}`.toUpperCase(),
          name: `Bench item ${i}`,
          brand: 'Bench',
          categories: ['bench'],
          priceCents: 100 + (i % 50) * 10,
          currency: 'EUR',
          stockOnHand: 1_000_000,
        },
        adminToken,
      );
      if (created.status !== 201) throw new Error(`creating a product: ${created.status} ${JSON.stringify(created.body)}`);
      return created.body.id;
    },
  );
  const users = await pool(
    Array.from({ length: USERS }, (_, i) => i),
    4,
    async (i) => {
      const u = await account(`u${i}`);
      await call('POST', '/users/me/wallet/credit', { amountCents: 900_000_000 }, u.token, { 'idempotency-key': `bench-topup-${run}` });
      return u;
    },
  );

  // 1. GET /cart against bare Fastify.
  const reader = users[0];
  for (let i = 0; i < 5; i++) await call('POST', '/cart/lines', { productId: products[i], quantity: 1 + i }, reader.token);
  const fastify = await bareFastify();
  let bare;
  try {
    console.log(`bare Fastify hello: ${DURATION}s, ${CONNECTIONS} connections (after a warm-up run)…`);
    await load(fastify.url, opts);
    bare = loadSummary(await load(fastify.url, opts));
  } finally {
    fastify.stop();
  }
  console.log(`gateway GET /cart: ${DURATION}s, ${CONNECTIONS} connections (after a warm-up run)…`);
  const asReader = { ...opts, headers: { authorization: `Bearer ${reader.token}` } };
  await load(`${base}/cart`, asReader);
  const cart = loadSummary(await load(`${base}/cart`, asReader));
  await call('DELETE', '/cart', undefined, reader.token);

  // 2. Checkouts per second.
  console.log(`checkouts: ${USERS} users at once for ${CHECKOUT_SECONDS}s, each adding 3 lines then checking out…`);
  const latencies = [];
  const outcomes = {};
  let n = 0;
  const until = Date.now() + CHECKOUT_SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    users.map(async (u, ui) => {
      for (let round = 0; Date.now() < until; round++) {
        for (let j = 0; j < 3; j++)
          await call('POST', '/cart/lines', { productId: products[(ui * 7 + round * 3 + j * 131 + n++) % products.length], quantity: 1 }, u.token);
        const t = performance.now();
        const res = await call('POST', '/cart/checkout', {}, u.token, { 'idempotency-key': `bench-${run}-${ui}-${round}` });
        latencies.push(performance.now() - t);
        const outcome = res.status === 201 ? 'completed' : res.status === 202 ? 'pending' : `${res.status} ${res.body?.error}`;
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (res.status !== 201 && res.status !== 202) await call('DELETE', '/cart', undefined, u.token);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const completed = outcomes.completed ?? 0;

  console.log('\nresult');
  console.table({ 'bare Fastify': bare, 'gateway GET /cart': cart });
  const ratio = cart['req/s'] / bare['req/s'];
  console.log(`GET /cart / bare = ${(ratio * 100).toFixed(1)} % (target ≥ 30 %), p99 = ${cart['p99 ms']} ms (target ≤ 20 ms)`);
  console.table({
    'POST /cart/checkout': {
      checkouts: latencies.length,
      'completed/s': +(completed / seconds).toFixed(1),
      'p50 ms': +percentile(latencies, 50).toFixed(1),
      'p95 ms': +percentile(latencies, 95).toFixed(1),
      'p99 ms': +percentile(latencies, 99).toFixed(1),
    },
  });
  console.log(`outcomes: ${JSON.stringify(outcomes)} (each checkout also needed 3 POST /cart/lines)`);
});
