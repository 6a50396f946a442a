#!/usr/bin/env node
// `npm run bench:checkout`, on the test stack, in one run:
//
// subject   — the real thing: 100 users at once, each in a loop adding 3 lines to its cart
//             (POST /cart/lines: gateway → cart → products) and checking out (POST /cart/checkout:
//             gateway → cart, which reserves stock in products, debits the wallet in users and
//             commits the stock, each step written to Redis, stock in OpenSearch, money in PostgreSQL).
// yardstick — the same cycle as plain round trips with no store and no framework: a bare Fastify
//             edge whose "add line" is one NATS request to a bare "cart" responder that asks a bare
//             "products" once, and whose "checkout" is one NATS request to "cart", which makes the
//             three sequential requests of the saga (products, users, products). Same NATS server,
//             same HTTP client, same concurrency.
//
// Two comparisons, each yardstick and subject interleaved (yardstick, subject, yardstick, …;
// BENCH_PAIRS pairs, default 3), so a noisy machine moves both alike:
//   1. completed checkouts/s with BENCH_USERS (100) users at once for BENCH_SECONDS (10) each.
//      Target: ≥ 100 checkouts/s.
//   2. one checkout at a time (one user, BENCH_SINGLE checkouts, default 40): p95 latency.
//      Target: p95 ≤ 150 ms.
// Beside them, the CPU time the processes used per completed checkout (the apps' for the subject,
// the two bare processes' for the yardstick; stores not counted): on a shared machine it moves far
// less than checkouts/s does.
// Each comparison ends in one `BENCH_RESULT {json}` line for `npm run bench`'s collector.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { opsNatsOptions } from '../lib/stack.ts';
import { loadWindow } from './lib/cpu-profile.ts';
import { isQuick } from './lib/result.ts';
import { cpuMsOf, median, percentile, pool, withStoresOnly } from './stack.mjs';

const QUICK = isQuick();
const PAIRS = Number(process.env.BENCH_PAIRS ?? (QUICK ? 1 : 3));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 5 : 10));
const USERS = Number(process.env.BENCH_USERS ?? 100);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? (QUICK ? 300 : 1_000));
const SINGLE = Number(process.env.BENCH_SINGLE ?? (QUICK ? 20 : 40));
const LINES = 3;
/**
 * A/B of two builds instead of against the yardstick: BENCH_BASELINE_DIST=<folder> (another commit's
 * `dist/`, copied under this clone so that it finds node_modules, e.g. `.data/baseline-dist`). Each
 * pair restarts the apps from the baseline build, measures, then from this build, and measures.
 */
const BASELINE_DIST = process.env.BENCH_BASELINE_DIST ? resolve(process.env.BENCH_BASELINE_DIST) : null;

/** One comparison, as `npm run bench` collects it. */
function emit(result) {
  console.log(`BENCH_RESULT ${JSON.stringify({ bench: 'checkout', ...result })}`);
}

/** An HTTP client for one base URL: JSON in, { status, body } out. */
function client(base) {
  return async (method, path, body, token, headers = {}) => {
    const res = await fetch(base + path, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/**
 * The yardstick's two processes: `services` answers bench.yardstick.{cart.line,cart.checkout,products,users}
 * (cart's handlers make their nested requests as the real cart does), `edge` is a bare Fastify
 * that turns POST /cart/lines and POST /cart/checkout into one request to "cart" each.
 */
const YARDSTICK = `
const { connect } = require('@nats-io/transport-node');
const [role, servers, user, pass] = process.argv.slice(1);
(async () => {
  const nc = await connect({ servers, user, pass, noAsyncTraces: true });
  const json = (data) => JSON.stringify(data);
  if (role === 'services') {
    const serve = (subject, handle) => {
      const sub = nc.subscribe(subject, { queue: subject });
      (async () => { for await (const m of sub) Promise.resolve(handle(m.json())).then((r) => m.respond(json(r))); })();
    };
    serve('bench.yardstick.products', (req) => ({ ok: true, productId: req.productId }));
    serve('bench.yardstick.users', (req) => ({ ok: true, userId: req.userId }));
    serve('bench.yardstick.cart.line', async (req) => (await nc.request('bench.yardstick.products', json(req), { timeout: 10000 })).json());
    serve('bench.yardstick.cart.checkout', async (req) => {
      await nc.request('bench.yardstick.products', json(req), { timeout: 10000 });
      await nc.request('bench.yardstick.users', json(req), { timeout: 10000 });
      await nc.request('bench.yardstick.products', json(req), { timeout: 10000 });
      return { status: 'completed' };
    });
    await nc.flush();
    console.log('ready');
  } else {
    const app = require('fastify')();
    const ask = (subject) => async (request, reply) => {
      const answer = await nc.request(subject, json({ ...request.body, userId: request.headers.authorization }), { timeout: 10000 });
      reply.status(201).send(answer.json());
    };
    app.post('/cart/lines', ask('bench.yardstick.cart.line'));
    app.post('/cart/checkout', ask('bench.yardstick.cart.checkout'));
    console.log(await app.listen({ port: 0, host: '127.0.0.1' }));
  }
})().catch((error) => { console.error(error); process.exit(1); });`;

async function startYardstick(s) {
  const { servers, user, pass } = opsNatsOptions(s);
  const child = (role) => {
    const proc = spawn(process.execPath, ['-e', YARDSTICK, role, servers, user, pass], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = new Promise((resolve, reject) => {
      proc.stdout.once('data', (d) => resolve(d.toString().trim()));
      proc.once('exit', (code) => reject(new Error(`yardstick ${role} exited (${code})`)));
    });
    return { proc, line };
  };
  const services = child('services');
  await services.line;
  const edge = child('edge');
  const url = await edge.line;
  return { url, pids: [edge.proc.pid, services.proc.pid], stop: () => (edge.proc.kill(), services.proc.kill()) };
}

/**
 * POST /cart/checkout, and, as a user waiting for the outcome would, when it is still under way (202)
 * its GET /checkouts/:id until it has ended (up to 30 s): a checkout that completes after the answer
 * counts as completed, its latency running to its end. When another checkout of the cart is still
 * running (409), waits for that one to end before answering the 409, so the user's next round does
 * not run into it again.
 */
async function checkoutToTheEnd(call, token, idempotencyKey) {
  const res = await call('POST', '/cart/checkout', {}, token, { 'idempotency-key': idempotencyKey });
  const waitFor = res.status === 202 ? res.body?.checkoutId : res.status === 409 ? res.body?.details?.checkoutId : undefined;
  if (!waitFor) return res;
  for (const until = Date.now() + 30_000; Date.now() < until;) {
    await new Promise((r) => setTimeout(r, 50));
    const now = await call('GET', `/checkouts/${waitFor}`, undefined, token);
    if (now.status === 200 && (now.body?.status === 'completed' || now.body?.status === 'failed'))
      return res.status === 202 ? { status: 201, body: now.body } : res;
  }
  return res;
}

/** How a checkout answer ended; the first answer of each kind that is not a completion is printed, so a broken run says why. */
const seenOutcomes = new Set();
function outcomeOf(res) {
  const outcome = res.status === 201 ? (res.body?.status ?? 'completed') : res.status === 202 ? 'pending' : `${res.status} ${res.body?.error}`;
  if (outcome !== 'completed' && !seenOutcomes.has(outcome)) {
    seenOutcomes.add(outcome);
    const detail = res.body?.failure ?? res.body?.message ?? res.body?.steps?.at(-1) ?? res.body;
    console.log(`  first "${outcome}" answer: ${JSON.stringify(detail).slice(0, 300)}`);
  }
  return outcome;
}

/** Milliseconds each saga step took (startedAt → finishedAt) in a completed checkout's answer, gathered by step. */
function addStepTimes(steps, into) {
  for (const step of steps ?? []) {
    if (!step.finishedAt) continue;
    (into[step.name] ??= []).push(Date.parse(step.finishedAt) - Date.parse(step.startedAt));
  }
}

/** Per step: p50 and p95 of the times gathered by addStepTimes, and the slowest. */
function stepTable(times) {
  return Object.fromEntries(
    Object.entries(times).map(([name, ms]) => {
      const sorted = [...ms].sort((a, b) => a - b);
      return [name, { n: sorted.length, 'p50 ms': percentile(sorted, 50), 'p95 ms': percentile(sorted, 95), 'max ms': sorted.at(-1) }];
    }),
  );
}

/**
 * Each user in a loop: LINES × POST /cart/lines, then POST /cart/checkout, for `seconds`.
 * Answers completed checkouts/s, the checkouts' latencies (sorted) and how they ended.
 */
async function checkoutLoad(call, users, products, { seconds, tag }) {
  const latencies = [];
  const outcomes = {};
  const stepTimes = {};
  let completed = 0;
  let n = 0;
  const until = Date.now() + seconds * 1000;
  // Only the subject's measured loads count in `npm run profile` (the apps idle while the yardstick runs).
  const windowEnds = tag.startsWith('s-') ? loadWindow(`checkout ${tag}`) : () => {};
  const t0 = performance.now();
  await Promise.all(
    users.map(async (u, ui) => {
      for (let round = 0; Date.now() < until; round++) {
        for (let j = 0; j < LINES; j++) {
          const productId = products[(ui * 7 + round * LINES + j * 131 + n++) % products.length];
          await call('POST', '/cart/lines', { productId, quantity: 1 }, u.token);
        }
        const t = performance.now();
        const res = await checkoutToTheEnd(call, u.token, `${tag}-${ui}-${round}`);
        latencies.push(performance.now() - t);
        const outcome = outcomeOf(res);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (outcome === 'completed') (completed++, addStepTimes(res.body?.steps, stepTimes));
        else await call('DELETE', '/cart', undefined, u.token);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  windowEnds();
  return { perSecond: completed / elapsed, completed, latencies: latencies.sort((a, b) => a - b), outcomes, stepTimes };
}

const round1 = (x) => Math.round(x * 10) / 10;

/** Setup calls on a busy machine: tried again (up to 5 times) while the answer is a 5xx. */
async function retrying(what, attempt) {
  for (let tries = 1; ; tries++) {
    const res = await attempt();
    if (res.status < 500 || tries === 5) return res;
    console.log(`  ${what}: ${res.status}, trying again…`);
    await new Promise((resolve) => setTimeout(resolve, 500 * tries));
  }
}

await withStoresOnly(async ({ s, start, env }) => {
  // Password hashing at its lowest allowed cost: it is only the setup's (100 registrations), not the checkout's.
  const appsEnv = { USERS_SCRYPT_N: String(2 ** 14) };
  const apps = await start(appsEnv);
  const run = Date.now().toString(36);
  const real = client(`http://127.0.0.1:${s.ports.gateway}`);
  const account = async (tag) => {
    const email = `bench-${tag}-${run}@example.com`;
    // 409: an attempt that timed out did register.
    const registered = await retrying('register', () => real('POST', '/auth/register', { email, name: `Bench ${tag}`, password: 'bench-password' }));
    if (registered.status !== 201 && registered.status !== 409)
      throw new Error(`registering ${email}: ${registered.status} ${JSON.stringify(registered.body)}`);
    const login = await retrying('login', () => real('POST', '/auth/login', { email, password: 'bench-password' }));
    if (login.status !== 200 && login.status !== 201) throw new Error(`logging in ${email}: ${login.status} ${JSON.stringify(login.body)}`);
    return { email, token: login.body.accessToken };
  };

  console.log(`setting up: ${PRODUCTS} products, ${USERS + 1} users with funds…`);
  const admin = await account('admin');
  await promisify(execFile)(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', admin.email], { env: { ...process.env, ...env.users } });
  const adminToken = (await real('POST', '/auth/login', { email: admin.email, password: 'bench-password' })).body.accessToken;
  const created = await pool(
    Array.from({ length: PRODUCTS }, (_, i) => i),
    8,
    async (i) => {
      const product = {
        sku: `CHKB-${run}-${i}`.toUpperCase(),
        name: `Bench item ${i}`,
        brand: 'Bench',
        categories: ['bench'],
        priceCents: 100 + (i % 50) * 10,
        currency: 'EUR',
        stockOnHand: 1_000_000,
      };
      const created = await retrying('create a product', () => real('POST', '/products', product, adminToken));
      if (created.status === 409) return null; // an attempt that timed out did create it; the bench does without it
      if (created.status !== 201) throw new Error(`creating a product: ${created.status} ${JSON.stringify(created.body)}`);
      return created.body.id;
    },
  );
  const products = created.filter(Boolean);
  const users = await pool(
    Array.from({ length: USERS + 1 }, (_, i) => i),
    2,
    async (i) => {
      const u = await account(`u${i}`);
      const credited = await retrying('credit a wallet', () =>
        real('POST', '/users/me/wallet/credit', { amountCents: 900_000_000 }, u.token, { 'idempotency-key': `bench-topup-${run}` }),
      );
      if (credited.status >= 300) throw new Error(`crediting a wallet: ${credited.status} ${JSON.stringify(credited.body)}`);
      return u;
    },
  );
  const loadUsers = users.slice(0, USERS);
  const soloUser = users.slice(USERS);
  const yardstickUsers = users.map((u, i) => ({ token: `user-${i}` }));
  if (BASELINE_DIST) {
    await compareBuilds({ s, start, appsEnv, apps, call: real, loadUsers, solo: soloUser[0], products, run });
    return;
  }

  const yardstick = await startYardstick(s);
  const bare = client(yardstick.url);
  const throughput = [];
  const single = [];
  const rows = {};
  try {
    // Warm-up: one short round of each, not counted.
    console.log('warming up…');
    await checkoutLoad(bare, yardstickUsers.slice(0, USERS), products, { seconds: 2, tag: `warm-y-${run}` });
    await checkoutLoad(real, loadUsers, products, { seconds: 3, tag: `warm-s-${run}` });
    for (let pair = 1; pair <= PAIRS; pair++) {
      console.log(`pair ${pair}/${PAIRS}: ${USERS} users for ${SECONDS}s, yardstick then subject…`);
      const y = await withCpu(yardstick.pids, () =>
        checkoutLoad(bare, yardstickUsers.slice(0, USERS), products, { seconds: SECONDS, tag: `y-${run}-${pair}` }),
      );
      const sub = await withCpu(apps.pids, () => checkoutLoad(real, loadUsers, products, { seconds: SECONDS, tag: `s-${run}-${pair}` }));
      throughput.push([round1(y.perSecond), round1(sub.perSecond)]);
      console.log(`pair ${pair}/${PAIRS}: one checkout at a time (${SINGLE}), yardstick then subject…`);
      const ys = await sequential(bare, yardstickUsers[USERS], products, `ys-${run}-${pair}`);
      const ss = await sequential(real, soloUser[0], products, `ss-${run}-${pair}`);
      single.push([round1(percentile(ys.latencies, 95)), round1(percentile(ss.latencies, 95))]);
      rows[`yardstick #${pair}`] = row(y, ys);
      rows[`checkout #${pair}`] = row(sub, ss);
      console.log(`  checkout outcomes under load: ${JSON.stringify(sub.outcomes)}; alone: ${JSON.stringify(ss.outcomes)}`);
      console.log('  saga steps of completed checkouts under load (from their answers):');
      console.table(stepTable(sub.stepTimes));
      console.log('  … and one at a time:');
      console.table(stepTable(ss.stepTimes));
    }
  } finally {
    yardstick.stop();
  }

  console.log('\nresult');
  console.table(rows);
  const ratios = throughput.map(([y, sub]) => sub / y);
  const completedPerSecond = median(throughput.map(([, sub]) => sub));
  const p95 = median(single.map(([, sub]) => sub));
  console.log(
    `completed checkouts/s (median of ${PAIRS}): ${round1(completedPerSecond)} (target ≥ 100), ` +
      `${(median(ratios) * 100).toFixed(1)} % of the store-less yardstick (median ratio)`,
  );
  console.log(`single checkout p95 (median of ${PAIRS}): ${round1(p95)} ms (target ≤ 150 ms)`);
  emit({
    figure: `completed checkouts/s, ${USERS} users at once (3 lines + checkout per cycle)`,
    unit: 'checkouts/s',
    yardstick: 'the same cycle as plain NATS round trips between bare processes, no stores',
    subject: 'POST /cart/lines ×3 + POST /cart/checkout through the gateway (reserve, debit, commit)',
    pairs: throughput,
    higherIsBetter: true,
    target: '≥ 100 completed checkouts/s with 100 concurrent users',
  });
  emit({
    figure: 'single checkout p95 latency, one checkout at a time',
    unit: 'ms',
    yardstick: 'one checkout-shaped chain of plain NATS round trips (edge → cart → products, users, products), no stores',
    subject: 'POST /cart/checkout through the gateway, one at a time',
    pairs: single,
    higherIsBetter: false,
    target: 'single checkout p95 ≤ 150 ms',
  });
});

/**
 * BENCH_BASELINE_DIST: the baseline build and this one, interleaved (baseline, this, baseline, …),
 * the apps restarted from the build measured before each; the CPU each app used per completed checkout.
 */
async function compareBuilds({ s, start, appsEnv, apps, call, loadUsers, solo, products, run }) {
  let running = apps;
  // The single-process stores beside the apps (PostgreSQL's backends are processes of their own, not counted).
  const stores = Object.fromEntries(
    [
      ['(opensearch)', join(s.dataDir, 'products', 'opensearch', 'opensearch.pid')],
      ['(redis)', join(s.dataDir, 'cart', 'redis', 'redis.pid')],
      ['(nats)', join(s.dataDir, 'nats', 'nats.pid')],
    ]
      .filter(([, file]) => existsSync(file))
      .map(([name, file]) => [name, Number(readFileSync(file, 'utf8').trim())]),
  );
  const measure = async (side, dist, pair) => {
    await running.stop();
    running = await start(appsEnv, { dist });
    await checkoutLoad(call, loadUsers, products, { seconds: 3, tag: `warm-${side}-${run}-${pair}` });
    const watched = { ...running.pidOf, ...stores };
    const before = Object.fromEntries(Object.entries(watched).map(([app, pid]) => [app, cpuMsOf([pid])]));
    const load = await checkoutLoad(call, loadUsers, products, { seconds: SECONDS, tag: `s-${side}-${run}-${pair}` });
    const cpuByApp = Object.fromEntries(Object.entries(watched).map(([app, pid]) => [app, cpuMsOf([pid]) - before[app]]));
    const cpuMs = Object.entries(cpuByApp)
      .filter(([app]) => !app.startsWith('('))
      .reduce((sum, [, ms]) => sum + ms, 0);
    const alone = await sequential(call, solo, products, `ss-${side}-${run}-${pair}`);
    console.log(`  ${side} #${pair}: outcomes under load ${JSON.stringify(load.outcomes)}; alone ${JSON.stringify(alone.outcomes)}`);
    console.table(stepTable(load.stepTimes));
    console.table(stepTable(alone.stepTimes));
    return { ...load, cpuMs, cpuByApp, alone };
  };
  const throughput = [];
  const single = [];
  const rows = {};
  const cpuRows = {};
  for (let pair = 1; pair <= PAIRS; pair++) {
    for (const [side, dist] of [
      ['baseline', BASELINE_DIST],
      ['this', undefined],
    ]) {
      console.log(`pair ${pair}/${PAIRS}: ${side}…`);
      const m = await measure(side, dist, pair);
      rows[`${side} #${pair}`] = row(m, m.alone);
      cpuRows[`${side} #${pair}`] = Object.fromEntries(
        Object.entries(m.cpuByApp)
          .filter(([, ms]) => ms > 0)
          .map(([app, ms]) => [app, m.completed ? round1(ms / m.completed) : null]),
      );
      if (side === 'baseline') (throughput.push([round1(m.perSecond)]), single.push([round1(percentile(m.alone.latencies, 95))]));
      else (throughput.at(-1).push(round1(m.perSecond)), single.at(-1).push(round1(percentile(m.alone.latencies, 95))));
    }
  }
  console.log('\nresult (baseline: ' + BASELINE_DIST + ')');
  console.table(rows);
  console.log('CPU ms per completed checkout cycle, per app (and store process, in brackets):');
  console.table(cpuRows);
  const ratio = median(throughput.map(([b, t]) => t / b));
  const p95Ratio = median(single.map(([b, t]) => t / b));
  console.log(`completed checkouts/s, this build ÷ baseline (median of ${PAIRS} pairs): ${ratio.toFixed(2)}`);
  console.log(`single checkout p95, this build ÷ baseline (median of ${PAIRS} pairs): ${p95Ratio.toFixed(2)}`);
  const common = { yardstick: `the baseline build (${BASELINE_DIST})`, subject: 'this build' };
  emit({
    ...common,
    figure: `completed checkouts/s, ${USERS} users at once, A/B of builds`,
    unit: 'checkouts/s',
    pairs: throughput,
    higherIsBetter: true,
  });
  emit({ ...common, figure: 'single checkout p95 latency, A/B of builds', unit: 'ms', pairs: single, higherIsBetter: false });
}

/** One user, SINGLE checkouts one after the other (lines added between, not timed). */
async function sequential(call, user, products, tag) {
  const latencies = [];
  const outcomes = {};
  const stepTimes = {};
  for (let i = 0; i < SINGLE; i++) {
    for (let j = 0; j < LINES; j++)
      await call('POST', '/cart/lines', { productId: products[(i * LINES + j * 17) % products.length], quantity: 1 }, user.token);
    const t = performance.now();
    const res = await checkoutToTheEnd(call, user.token, `${tag}-${i}`);
    latencies.push(performance.now() - t);
    const outcome = outcomeOf(res);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    if (outcome === 'completed') addStepTimes(res.body?.steps, stepTimes);
    if (outcome !== 'completed') await call('DELETE', '/cart', undefined, user.token);
  }
  return { latencies: latencies.sort((a, b) => a - b), outcomes, stepTimes };
}

/** `work`'s result with the CPU time the processes `pids` used meanwhile (ms). */
async function withCpu(pids, work) {
  const before = cpuMsOf(pids);
  const result = await work();
  return { ...result, cpuMs: cpuMsOf(pids) - before };
}

function row(load, alone) {
  return {
    'checkouts/s': round1(load.perSecond),
    'CPU ms/checkout': load.completed ? round1(load.cpuMs / load.completed) : null,
    'p50 ms (load)': round1(percentile(load.latencies, 50)),
    'p95 ms (load)': round1(percentile(load.latencies, 95)),
    'p50 ms (alone)': round1(percentile(alone.latencies, 50)),
    'p95 ms (alone)': round1(percentile(alone.latencies, 95)),
  };
}
