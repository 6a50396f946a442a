#!/usr/bin/env node
// `npm run bench:gateway`: GET /users/me through the gateway (JWT check → NATS → users → PostgreSQL)
// against a bare Fastify "hello" on the same machine, same run, same load: 50 connections.
// Target: gateway ≥ 30 % of bare Fastify's req/s, p99 ≤ 20 ms.
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { withRunningStack } from './stack.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

function load(url, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function bareFastify() {
  const code = `
    const app = require('fastify')();
    app.get('/', async () => ({ hello: 'world' }));
    app.listen({ port: 0, host: '127.0.0.1' }).then((a) => console.log(a));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(d.toString().trim())));
  return { url, stop: () => child.kill() };
}

const summary = (r) => ({ reqPerSec: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });

await withRunningStack(async ({ s }) => {
  const base = `http://127.0.0.1:${s.ports.gateway}`;
  const email = `bench-${Date.now()}@example.com`;
  await fetch(`${base}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, name: 'Bench', password: 'bench-password' }) });
  const login = await (await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'bench-password' }) })).json();

  const fastify = await bareFastify();
  try {
    console.log(`bare Fastify hello: ${DURATION}s, ${CONNECTIONS} connections…`);
    await load(fastify.url); // warm-up run is the same length; keep the second
    const bare = summary(await load(fastify.url));
    fastify.stop();
    console.log(`gateway GET /users/me: ${DURATION}s, ${CONNECTIONS} connections…`);
    await load(`${base}/users/me`, { authorization: `Bearer ${login.accessToken}` });
    const gw = summary(await load(`${base}/users/me`, { authorization: `Bearer ${login.accessToken}` }));
    const ratio = gw.reqPerSec / bare.reqPerSec;
    console.log('\nresult');
    console.table({ 'bare Fastify': bare, 'gateway /users/me': gw });
    console.log(`gateway / bare = ${(ratio * 100).toFixed(1)} % (target ≥ 30 %), gateway p99 = ${gw.p99} ms (target ≤ 20 ms)`);
  } finally {
    fastify.stop();
  }
});
