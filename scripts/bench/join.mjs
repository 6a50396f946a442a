#!/usr/bin/env node
// `npm run bench:join`: the distributed JOIN of orders with customers, both ways, on the same data in
// one run: 10k orders (BENCH_ORDERS) of 1k customers (BENCH_CUSTOMERS), then GET /admin/orders
// (a page of BENCH_PAGE orders over a 7-day window) through the gateway, via=read-model (orders
// alone, customer names from its read model: the yardstick) and via=composition (orders, then
// users.getMany for the page's customers: the subject), interleaved round by round
// (BENCH_ROUNDS × BENCH_REQUESTS requests each, BENCH_CONCURRENCY at a time): p50/p95 and req/s,
// and BENCH_RESULT lines with each round's pair.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../lib/proc.ts';
import { opsNatsOptions } from '../lib/stack.ts';
import { median, percentile, withRunningStack } from './stack.mjs';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 10_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000);
const PAGE = Number(process.env.BENCH_PAGE ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const DAYS = 60;
// A year no other test or bench writes orders in, so the pages hold only these orders.
const FIRST_DAY = Date.UTC(2025, 8, 1);
const day = (offset) => new Date(FIRST_DAY + offset * 86_400_000).toISOString().slice(0, 10);

await withRunningStack(async ({ s, env }) => {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
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
  const inParallel = async (count, width, task) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < count) await task(next++);
      }),
    );
  };

  const run_ = Date.now().toString(36);
  console.log(`registering ${CUSTOMERS} customers over NATS (${CONCURRENCY} at a time)…`);
  const customers = [];
  // Customers are registered over NATS with a 30 s timeout rather than through the gateway (3 s):
  // registering hashes a password (scrypt), which a busy machine made slower than the gateway waits.
  const platform = await import(pathToFileURL(join(ROOT, 'dist/libs/platform/src/index.js')).href);
  const { UsersRpc } = await import(pathToFileURL(join(ROOT, 'dist/libs/contracts/src/index.js')).href);
  const link = await platform.NatsLink.open({ ...opsNatsOptions(s), servers: [opsNatsOptions(s).servers], name: 'bench-join-rpc' });
  const rpc = new platform.RpcClient(link, 30_000);
  const register = async (email, name) => (await rpc.send(UsersRpc.register, { email, name, password: 'bench-password' })).id;
  await inParallel(CUSTOMERS, CONCURRENCY, async (i) => {
    customers[i] = await register(`bench-join-${run_}-${i}@example.com`, `Customer ${i}`);
  });
  const adminEmail = `bench-join-admin-${run_}@example.com`;
  await register(adminEmail, 'Bench admin');
  await promisify(execFile)(process.execPath, [join(ROOT, 'dist/apps/users/src/cli/grant-admin.js'), adminEmail], {
    env: { ...process.env, ...env.users },
  });
  const { accessToken: admin } = await rpc.send(UsersRpc.login, { email: adminEmail, password: 'bench-password' });

  console.log(`publishing ${ORDERS} completed checkouts on cart's stream; orders places them through its consumer…`);
  const nc = await connect({ ...opsNatsOptions(s), name: 'bench-join' });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const seedStarted = performance.now();
  const pending = [];
  for (let i = 0; i < ORDERS; i++) {
    const data = {
      checkoutId: randomUUID(),
      userId: customers[(i * 7) % CUSTOMERS],
      lines: [
        { productId: randomUUID(), name: `Product ${i % 500}`, quantity: 1 + (i % 3), unitPriceCents: 1200, lineTotalCents: 1200 * (1 + (i % 3)) },
      ],
      totalCents: 1200 * (1 + (i % 3)),
      currency: 'EUR',
      completedAt: new Date(FIRST_DAY + ((i * 7919) % (DAYS * 86_400_000))).toISOString(),
    };
    const event = { id: randomUUID(), type: 'CheckoutCompleted', version: 1, occurredAt: new Date().toISOString(), producer: 'cart', data };
    pending.push(js.publish('events.cart.CheckoutCompleted.v1', JSON.stringify(event), { msgID: event.id }));
    if (pending.length >= 500) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  const caughtUp = async (stream, durable) => {
    const info = await jsm.consumers.info(stream, durable).catch(() => null);
    return info !== null && info.num_pending === 0 && info.num_ack_pending === 0;
  };
  for (;;) {
    if ((await caughtUp('EVENTS_CART', 'orders-checkouts')) && (await caughtUp('EVENTS_USERS', 'orders-users'))) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(`orders placed ${ORDERS} orders in ${seedSeconds.toFixed(1)} s (${Math.round(ORDERS / seedSeconds)} orders/s through the consumer)`);
  await nc.close();
  await link.close();

  // A sanity check: both ways give the same customers for the same page.
  const probe = `/admin/orders?from=${day(0)}&to=${day(6)}&limit=${PAGE}`;
  const [viaModel, viaComposition] = [await call('GET', `${probe}&via=read-model`, admin), await call('GET', `${probe}&via=composition`, admin)];
  const same = JSON.stringify(viaModel.orders) === JSON.stringify(viaComposition.orders);
  console.log(
    `a page of ${viaModel.orders.length} orders; both ways equal: ${same}; customers missing (read model): ${viaModel.orders.filter((o) => !o.customer).length}`,
  );
  if (!same || viaModel.orders.length !== PAGE) throw new Error('the two ways do not answer the same page: not measuring');

  const measure = async (via) => {
    const latencies = [];
    let errors = 0;
    const started = performance.now();
    await inParallel(REQUESTS, CONCURRENCY, async (i) => {
      const from = (i * 13) % (DAYS - 7);
      const t0 = performance.now();
      try {
        await call('GET', `/admin/orders?from=${day(from)}&to=${day(from + 6)}&limit=${PAGE}&via=${via}`, admin);
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    });
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), rps: latencies.length / seconds, errors };
  };
  await measure('read-model');
  await measure('composition'); // warm-up, not counted
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first, so neither always gets the quieter half of a round.
    const order = r % 2 ? ['composition', 'read-model'] : ['read-model', 'composition'];
    const round = {};
    for (const via of order) round[via] = await measure(via);
    rounds.push(round);
    const f = (m) => `p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, ${m.rps.toFixed(0)} req/s${m.errors ? `, ${m.errors} errors` : ''}`;
    console.log(`round ${r + 1}: read-model ${f(round['read-model'])} | composition ${f(round.composition)}`);
  }
  const med = (via, key) => median(rounds.map((r) => r[via][key]));
  console.log(
    `\n${ORDERS} orders, ${CUSTOMERS} customers, pages of ${PAGE}, ${REQUESTS} requests × ${ROUNDS} rounds per way, ${CONCURRENCY} at a time (medians of the rounds):`,
  );
  console.log('| via | p50 ms | p95 ms | req/s |');
  console.log('|---|---|---|---|');
  for (const via of ['read-model', 'composition'])
    console.log(`| ${via} | ${med(via, 'p50').toFixed(1)} | ${med(via, 'p95').toFixed(1)} | ${med(via, 'rps').toFixed(0)} |`);
  const ratio = median(rounds.map((r) => r.composition.p50 / r['read-model'].p50));
  console.log(`composition / read-model p50: ${ratio.toFixed(2)}× (median of the rounds' ratios)`);
  const result = (figure, unit, key, higherIsBetter) =>
    console.log(
      `BENCH_RESULT ${JSON.stringify({ bench: 'join', figure, unit, yardstick: 'read-model', subject: 'composition', pairs: rounds.map((r) => [+r['read-model'][key].toFixed(2), +r.composition[key].toFixed(2)]), higherIsBetter })}`,
    );
  result('p50', 'ms', 'p50', false);
  result('p95', 'ms', 'p95', false);
  result('throughput', 'req/s', 'rps', true);
});
