#!/usr/bin/env node
// `npm run bench:gateway`: GET /users/me through the gateway (JWT check → NATS → users → PostgreSQL)
// against a bare Fastify "hello" on the same machine, same run, same load: 50 connections.
// Target: gateway ≥ 30 % of bare Fastify's req/s, p99 ≤ 20 ms.
import { bareFastify, load, loadSummary, withRunningStack } from './stack.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const opts = { connections: CONNECTIONS, seconds: DURATION };

await withRunningStack(async ({ s }) => {
  const base = `http://127.0.0.1:${s.ports.gateway}`;
  const email = `bench-${Date.now()}@example.com`;
  await fetch(`${base}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Bench', password: 'bench-password' }),
  });
  const login = await (
    await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'bench-password' }),
    })
  ).json();

  const fastify = await bareFastify();
  try {
    console.log(`bare Fastify hello: ${DURATION}s, ${CONNECTIONS} connections…`);
    await load(fastify.url, opts); // warm-up run is the same length; keep the second
    const bare = loadSummary(await load(fastify.url, opts));
    fastify.stop();
    console.log(`gateway GET /users/me: ${DURATION}s, ${CONNECTIONS} connections…`);
    const me = { ...opts, headers: { authorization: `Bearer ${login.accessToken}` } };
    await load(`${base}/users/me`, me);
    const gw = loadSummary(await load(`${base}/users/me`, me));
    const ratio = gw['req/s'] / bare['req/s'];
    console.log('\nresult');
    console.table({ 'bare Fastify': bare, 'gateway /users/me': gw });
    console.log(`gateway / bare = ${(ratio * 100).toFixed(1)} % (target ≥ 30 %), gateway p99 = ${gw['p99 ms']} ms (target ≤ 20 ms)`);
  } finally {
    fastify.stop();
  }
});
