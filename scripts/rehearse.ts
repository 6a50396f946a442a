#!/usr/bin/env node
// `npm run rehearse`: the scale-out rehearsal, with real processes on the test stack's stores.
//  - a 3-node NATS cluster (nats-server v2.15, built from the Go module proxy) with every event
//    stream at 3 replicas (NATS_STREAM_REPLICAS=3), the apps given all three nodes;
//  - two instances of every app (analytics: one, see docs/kubernetes.md), the client spreading
//    its requests over the two gateways as a load balancer would (a refused connection goes to the other);
//  - REHEARSE_USERS users (default 8), each in a loop: add a line to its cart, check out;
//  - after a third of REHEARSE_SECONDS (default 90): SIGKILL one NATS node and one instance of each app;
//  - then, once the load has stopped and the system settled: every checkout answered completed has
//    exactly one order, each user's wallet was debited exactly once per order, every durable
//    consumer has nothing pending (the survivors consumed everything), and the streams kept 3 replicas' worth of peers.
// Prints the request error count, the longest gap between successful answers, and the checkouts
// completed; exits non-zero if an invariant fails. POLYSTORE_PORT_OFFSET applies as everywhere.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { APPS, startOrder, type AppName } from '../manifest.ts';
import { appEntry } from './lib/apps.ts';
import { provision, resetStack } from './lib/infra.ts';
import { ROOT, readPidFile, sleep, waitFor } from './lib/proc.ts';
import { appEnv, natsCredentials, stack } from './lib/stack.ts';
import { ensureNatsServer, natsClusterNodes, natsClusterUrl, startNatsCluster, stopNatsCluster } from './lib/stores/nats-cluster.ts';
import { build } from './build.mjs';

const SECONDS = Number(process.env.REHEARSE_SECONDS ?? 90);
const USERS = Number(process.env.REHEARSE_USERS ?? 8);
const PRODUCTS = 20;
const CREDIT_CENTS = 500_000_000;
/** Analytics keeps its ClickHouse in-process (chdb): one writer per data folder, so one instance. */
const instancesOf = (app: AppName) => (app === 'analytics' ? 1 : 2);
/** The second instance's HTTP port: above every port of the stack's apps. */
const SECOND_INSTANCE_PORT_SHIFT = 40;

const log = (msg: string) => console.log(`rehearse: ${msg}`);
const s = stack('test');
const runDir = join(s.dataDir, 'rehearsal');

interface Instance {
  app: AppName;
  index: number;
  port: number;
  child: ChildProcess;
}

function portVariable(app: AppName): string {
  return APPS[app].store === null ? `${APPS[app].envPrefix}_PORT` : `${APPS[app].envPrefix}_HTTP_PORT`;
}

function startInstance(app: AppName, index: number, env: Record<string, string>): Instance {
  const port = s.ports[app] + index * SECOND_INSTANCE_PORT_SHIFT;
  mkdirSync(join(runDir, 'logs'), { recursive: true });
  const child = spawn(process.execPath, ['--enable-source-maps', appEntry(app)], {
    cwd: ROOT,
    env: { ...process.env, ...env, [portVariable(app)]: String(port), NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const file = createWriteStream(join(runDir, 'logs', `${app}-${index + 1}.log`), { flags: 'w' });
  child.stdout!.pipe(file);
  child.stderr!.pipe(file);
  return { app, index, port, child };
}

const ready = async (i: Instance) => (await fetch(`http://127.0.0.1:${i.port}/health/ready`).catch(() => null))?.ok === true;

function kill(i: Instance): Promise<void> {
  return new Promise((resolve) => {
    if (i.child.exitCode !== null || i.child.signalCode !== null) return resolve();
    i.child.once('exit', () => resolve());
    i.child.kill('SIGKILL');
  });
}

// ---------------------------------------------------------------- the client

interface Answer {
  status: number;
  body: any;
}

/** Requests spread over the gateways; a refused connection or a 5xx counts as an error and is tried again. */
class Client {
  errors = 0;
  errorKinds: Record<string, number> = {};
  successes: number[] = [];
  /** When each error happened (performance.now()). */
  errorTimes: number[] = [];
  private next = 0;
  private readonly gateways: () => number[];
  constructor(gateways: () => number[]) {
    this.gateways = gateways;
  }

  async call(method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const ports = this.gateways();
      const port = ports[this.next++ % ports.length];
      let kind: string;
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, {
          method,
          headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        if (res.status < 500) {
          this.successes.push(performance.now());
          return { status: res.status, body: text ? JSON.parse(text) : undefined };
        }
        kind = `${res.status} ${text.slice(0, 80)}`;
      } catch (error) {
        kind = (error as Error).cause ? String(((error as Error).cause as Error).message ?? (error as Error).cause) : (error as Error).message;
      }
      this.errors++;
      this.errorTimes.push(performance.now());
      this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
      if (attempt >= 20) throw new Error(`${method} ${path}: still failing after ${attempt} attempts (${kind})`);
      await sleep(Math.min(2000, 100 * attempt));
    }
  }

  /** The longest time between two successful answers within [from, to] (ms). */
  longestGap(from: number, to: number): number {
    const times = [from, ...this.successes.filter((t) => t >= from && t <= to).sort((a, b) => a - b), to];
    let gap = 0;
    for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
    return gap;
  }
}

// ---------------------------------------------------------------- the run

const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const infra = await provision(s);
const nodes = natsClusterNodes(s);
const instances: Instance[] = [];
try {
  await resetStack(s);
  await build({ quiet: true });
  const binary = await ensureNatsServer({ log });
  log(`starting a ${nodes.length}-node NATS cluster (nats-server ${binary.split('/').at(-2)}) on ${nodes.map((n) => n.clientPort).join(', ')}`);
  await startNatsCluster(s, binary, nodes);
  const envs = appEnv(s, infra.keys);
  const common = { NATS_URL: natsClusterUrl(nodes), NATS_STREAM_REPLICAS: '3', USERS_SCRYPT_N: String(2 ** 14) };
  for (const app of startOrder()) {
    // One instance after the other, as a Deployment rolls pods out: two first starts at the same
    // moment on a fresh cluster once left one instance hanging before it was ready (docs/kubernetes.md).
    for (let index = 0; index < instancesOf(app); index++) {
      const instance = startInstance(app, index, { ...envs[app], ...common });
      instances.push(instance);
      await waitFor(`${app} #${index + 1} ready`, () => ready(instance), { timeoutMs: 180_000, intervalMs: 250 });
    }
    log(`${app}: ${instancesOf(app)} instance(s) ready`);
  }
  const alive = (i: Instance) => i.child.exitCode === null && i.child.signalCode === null;
  const client = new Client(() => instances.filter((i) => i.app === 'gateway' && alive(i)).map((i) => i.port));
  const run = Date.now().toString(36);

  // Set-up: an admin (products), products with plenty of stock, users with funds.
  const account = async (tag: string) => {
    const email = `rehearse-${tag}-${run}@example.com`;
    const registered = await client.call('POST', '/auth/register', { email, name: `Rehearsal ${tag}`, password: 'rehearsal-password' });
    if (registered.status !== 201 && registered.status !== 409)
      throw new Error(`registering ${email}: ${registered.status} ${JSON.stringify(registered.body)}`);
    const login = await client.call('POST', '/auth/login', { email, password: 'rehearsal-password' });
    if (login.status >= 300) throw new Error(`logging in ${email}: ${login.status}`);
    return { email, token: login.body.accessToken as string };
  };
  const admin = await account('admin');
  await new Promise<void>((resolve, reject) => {
    const cli = spawn(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', admin.email], {
      cwd: ROOT,
      env: { ...process.env, ...envs.users, ...common },
      stdio: 'inherit',
    });
    cli.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`grant-admin exited ${code}`))));
  });
  const adminToken = (await client.call('POST', '/auth/login', { email: admin.email, password: 'rehearsal-password' })).body.accessToken;
  const products: string[] = [];
  for (let i = 0; i < PRODUCTS; i++) {
    const res = await client.call(
      'POST',
      '/products',
      {
        sku: `RH-${run}-${i}`.toUpperCase(),
        name: `Rehearsal item ${i}`,
        brand: 'Rehearsal',
        categories: ['rehearsal'],
        priceCents: 100 + i,
        currency: 'EUR',
        stockOnHand: 1_000_000,
      },
      adminToken,
    );
    if (res.status === 201) products.push(res.body.id);
  }
  const users = [];
  for (let i = 0; i < USERS; i++) {
    const u = await account(`u${i}`);
    const credited = await client.call('POST', '/users/me/wallet/credit', { amountCents: CREDIT_CENTS }, u.token, {
      'idempotency-key': `rehearse-${run}`,
    });
    if (credited.status >= 300) throw new Error(`crediting: ${credited.status}`);
    users.push({ ...u, completed: new Map<string, number>(), other: {} as Record<string, number> });
  }
  log(`set up ${products.length} products and ${users.length} users; load for ${SECONDS} s, failures injected at ${Math.round(SECONDS / 3)} s`);

  // The load, and the failures a third of the way in.
  const t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  const failuresAt = t0 + (SECONDS * 1000) / 3;
  const injected = (async () => {
    await sleep(failuresAt - performance.now());
    const victims = instances.filter((i) => i.index === 0 && instancesOf(i.app) > 1);
    log(`killing NATS node 1 and ${victims.map((v) => `${v.app} #1`).join(', ')} (SIGKILL)`);
    const natsPid = readPidFile(nodes[0].pidFile);
    if (natsPid !== null) process.kill(natsPid, 'SIGKILL');
    await Promise.all(victims.map(kill));
  })();
  await Promise.all(
    users.map(async (u, ui) => {
      for (let round = 0; performance.now() < until; round++) {
        await client.call('POST', '/cart/lines', { productId: products[(ui + round) % products.length], quantity: 1 }, u.token);
        const key = `rehearse-${run}-${ui}-${round}`;
        let res = await client.call('POST', '/cart/checkout', {}, u.token, { 'idempotency-key': key });
        // Under way (202): follow it until it ends.
        for (let polls = 0; res.status === 202 && polls < 120; polls++) {
          await sleep(250);
          const status = await client.call('GET', `/checkouts/${res.body.checkoutId}`, undefined, u.token);
          res = { status: status.body?.status === 'completed' ? 201 : status.body?.status === 'failed' ? 422 : 202, body: status.body };
        }
        if (res.status === 201 && res.body?.status === 'completed') u.completed.set(res.body.checkoutId, res.body.totalCents);
        else {
          const outcome = `${res.status} ${res.body?.code ?? res.body?.error ?? res.body?.status ?? ''}`;
          u.other[outcome] = (u.other[outcome] ?? 0) + 1;
          await client.call('DELETE', '/cart', undefined, u.token);
        }
      }
    }),
  );
  await injected;
  const loadEnd = performance.now();
  const completed = users.reduce((n, u) => n + u.completed.size, 0);
  const others = users.flatMap((u) => Object.entries(u.other)).reduce<Record<string, number>>((m, [k, v]) => ({ ...m, [k]: (m[k] ?? 0) + v }), {});

  // Invariants, once the system has settled.
  log('load over; waiting for the system to settle, then checking');
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const ops = natsCredentials(s, 'ops');
  const nc = await connect({ servers: natsClusterUrl(nodes.slice(1)), user: ops.user, pass: ops.password });
  const jsm = await jetstreamManager(nc);
  const pending = async () => {
    const left: string[] = [];
    for await (const stream of jsm.streams.list()) {
      for await (const consumer of jsm.consumers.list(stream.config.name)) {
        if (consumer.num_pending + consumer.num_ack_pending > 0)
          left.push(`${stream.config.name}/${consumer.name}: ${consumer.num_pending} pending, ${consumer.num_ack_pending} unacked`);
      }
    }
    return left;
  };
  let left: string[] = [];
  const settleUntil = Date.now() + 90_000;
  do {
    left = await pending().catch((error) => [`(JetStream: ${(error as Error).message})`]);
    if (left.length) await sleep(1000);
  } while (left.length && Date.now() < settleUntil);
  console.log('\ninvariants');
  check(
    left.length === 0,
    `every durable consumer consumed everything on the surviving instances${left.length ? `: ${left.slice(0, 5).join('; ')}` : ''}`,
  );
  const streams = [];
  for await (const stream of jsm.streams.list()) streams.push(stream);
  check(
    streams.length > 0 && streams.every((st) => st.config.num_replicas === 3 && st.cluster?.leader),
    `${streams.length} streams at 3 replicas, each with a leader after node 1 died (${streams.map((st) => `${st.config.name}: ${st.cluster?.leader ?? 'no leader'}`).join(', ')})`,
  );
  await nc.close();
  let ordersOk = true;
  let walletsOk = true;
  for (const u of users) {
    let orders: { orderId: string; totalCents: number }[] = [];
    await waitFor(
      `${u.email}'s orders`,
      async () => {
        const page = await client.call('GET', '/orders?limit=100', undefined, u.token);
        orders = page.body?.orders ?? [];
        return orders.length >= u.completed.size;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    ).catch(() => {});
    const expected = [...u.completed.values()].reduce((a, b) => a + b, 0);
    const placed = orders.reduce((a, o) => a + o.totalCents, 0);
    if (orders.length !== u.completed.size || new Set(orders.map((o) => o.orderId)).size !== orders.length || placed !== expected) {
      ordersOk = false;
      console.log(`    ${u.email}: ${u.completed.size} checkouts completed (${expected} cents), ${orders.length} orders (${placed} cents)`);
    }
    const wallet = await client.call('GET', '/users/me/wallet', undefined, u.token);
    if (wallet.body?.balanceCents !== CREDIT_CENTS - expected) {
      walletsOk = false;
      console.log(`    ${u.email}: wallet ${wallet.body?.balanceCents}, expected ${CREDIT_CENTS - expected}`);
    }
  }
  check(ordersOk, `every completed checkout became exactly one order (${completed} checkouts, no order lost or doubled)`);
  check(walletsOk, 'every wallet was debited exactly once per completed checkout (no effect applied twice)');
  const after = instances.filter((i) => alive(i));
  const readyAfter = await Promise.all(after.map(ready));
  check(readyAfter.every(Boolean), `the ${after.length} surviving instances answer ready`);

  console.log('\nfigures');
  console.log(
    `  checkouts completed: ${completed} in ${SECONDS} s by ${USERS} users (${(completed / SECONDS).toFixed(1)}/s); other outcomes: ${JSON.stringify(others)}`,
  );
  const afterFailures = client.errorTimes.filter((t) => t >= failuresAt).length;
  console.log(
    `  request errors (refused connection, timeout or 5xx; each tried again): ${client.errors}, ${afterFailures} of them after the failures ${JSON.stringify(client.errorKinds)}`,
  );
  console.log(
    `  longest gap between successful answers: ${Math.round(client.longestGap(failuresAt, loadEnd))} ms from the failures on, ${Math.round(client.longestGap(t0, failuresAt))} ms before them`,
  );
} finally {
  await Promise.all(instances.map(kill));
  await stopNatsCluster(nodes);
  await infra.stop();
}
if (failures.length) {
  console.error(`rehearse: ${failures.length} invariant(s) failed`);
  process.exit(1);
}
log('every invariant held');
