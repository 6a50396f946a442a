// Shared by the benchmarks: the test stack (throwaway data, own ports), built, with all apps running.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { build } from '../build.mjs';
import { startApps } from '../lib/apps.ts';
import { provision } from '../lib/infra.ts';
import { ROOT } from '../lib/proc.ts';
import { appEnv, opsNatsOptions, stack } from '../lib/stack.ts';
import { cpuProfileArgs, flushCpuProfiles, loadWindow } from './lib/cpu-profile.ts';

export async function withRunningStack(fn) {
  const s = stack('test');
  const infra = await provision(s);
  let apps = null;
  try {
    await build({ quiet: true });
    // A cold start of all apps took ~60 s on the shared machine under load: give them 180 s, as withStoresOnly does.
    apps = await startApps(s, infra.keys, { logDir: join(s.dataDir, 'logs'), timeoutMs: 180_000 });
    return await fn({ s, env: appEnv(s, infra.keys), keys: infra.keys });
  } finally {
    await apps?.stop();
    await infra.stop();
  }
}

/**
 * The test stack's stores, built, without the apps: `fn` starts them (`start(env)`, as often as it
 * likes, e.g. once per configuration) and stops them; what it left running is stopped at the end.
 * `env` is each app's environment (for running an app's CLI beside them).
 */
export async function withStoresOnly(fn) {
  const s = stack('test');
  const infra = await provision(s);
  const running = new Set();
  try {
    // BENCH_SKIP_BUILD=1 runs dist/ as it is (e.g. a build of another commit, to compare).
    if (process.env.BENCH_SKIP_BUILD !== '1') await build({ quiet: true });
    // `dist`: run another build (a baseline's dist/, copied under this clone) instead of this one.
    const start = async (env = {}, { dist } = {}) => {
      const apps = await startApps(s, infra.keys, { logDir: join(s.dataDir, 'logs'), env, timeoutMs: 180_000, dist });
      running.add(apps);
      return { ...processIds(apps), stop: async () => (running.delete(apps), await apps.stop()) };
    };
    return await fn({ s, start, env: appEnv(s, infra.keys) });
  } finally {
    for (const apps of running) await apps.stop();
    await infra.stop();
  }
}

/** The pids of running apps (startApps), all and by app. */
function processIds(apps) {
  return {
    pids: [...apps.children.values()].map((child) => child.pid),
    pidOf: Object.fromEntries([...apps.children].map(([app, child]) => [app, child.pid])),
  };
}

/**
 * Small stacks side by side, one per configuration a bench compares (`variants`: `{ name, env }`):
 * each its own NATS and the stores of `services` on its own ports and data folder
 * (.data/bench-<i>), with `apps` running on it under the variant's extra environment, all at
 * once. A bench can then interleave its loads on them seconds apart: on a shared machine whose
 * speed swings within minutes, restarting apps between configurations puts a minute between the
 * figures it compares. `fn(stacks, restartApps)`: `stacks` is `[{ name, s, pids, env }]` in the
 * order given; `restartApps()` starts every stack's apps afresh (new processes, new pids): one
 * start's JIT and heap decisions can leave it a few per cent faster or slower than another for its
 * whole life, so a bench runs a few. Everything is stopped at the end.
 */
export async function withSideBySideStacks(variants, { services, apps }, fn) {
  const started = [];
  const startAppsOf = async (entry) => {
    entry.apps = await startApps(entry.s, entry.infra.keys, {
      apps,
      logDir: join(entry.s.dataDir, 'logs'),
      env: entry.variant.env,
      timeoutMs: 180_000,
    });
    Object.assign(entry.view, processIds(entry.apps));
  };
  try {
    if (process.env.BENCH_SKIP_BUILD !== '1') await build({ quiet: true });
    // One at a time: their stores' first starts (initdb) compete for the two cores otherwise.
    for (const [i, variant] of variants.entries()) {
      const s = stack('test', { portShift: 20 * i, dataDir: join(ROOT, '.data', `bench-${i}`), services });
      const infra = await provision(s);
      const entry = { variant, s, infra, apps: null, view: { name: variant.name, s, env: appEnv(s, infra.keys), pids: [], pidOf: {} } };
      started.push(entry);
      await startAppsOf(entry);
    }
    const restartApps = async () => {
      await Promise.all(started.map((entry) => entry.apps?.stop()));
      for (const entry of started) await startAppsOf(entry);
    };
    return await fn(
      started.map((entry) => entry.view),
      restartApps,
    );
  } finally {
    for (const { apps: running, infra } of started.reverse()) {
      await running?.stop();
      await infra.stop();
    }
  }
}

/**
 * CPU time (user + system, ms) the processes have used so far, from /proc (Linux): a cost that,
 * unlike req/s, hardly moves when other work on a shared machine takes the CPU from them.
 */
export function cpuMsOf(pids) {
  const tick = 100; // USER_HZ: clock ticks per second, 100 on Linux
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  }
  return (ticks * 1000) / tick;
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** autocannon against `url`: `connections` at once for `seconds` (a load window, for `npm run profile`). */
export function load(url, { connections = 50, seconds = 10, headers = {} } = {}) {
  const noted = loadWindow(url);
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, headers }, (err, result) => (noted(), err ? reject(err) : resolve(result)));
  });
}

/** The yardstick: a bare Fastify "hello" in its own process. */
export async function bareFastify() {
  const code = `
    const app = require('fastify')();
    app.get('/', async () => ({ hello: 'world' }));
    app.listen({ port: 0, host: '127.0.0.1' }).then((a) => console.log(a));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(d.toString().trim())));
  return { url, stop: () => child.kill() };
}

/**
 * The request path's yardstick (scripts/bench/lib/bare-nest.mjs): a bare Nest gateway asking a
 * bare Nest service over the stack's NATS, no store, no auth; each its own process, as the apps are.
 */
export async function bareNest(s) {
  const ops = opsNatsOptions(s);
  const script = join(import.meta.dirname, 'lib', 'bare-nest.mjs');
  const spawnRole = (role) =>
    spawn(process.execPath, [...cpuProfileArgs(), script, role, ops.servers, ops.user, ops.pass], {
      env: { ...process.env, POLYSTORE_CPU_PROFILE_NAME: `bare-nest-${role}` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  const firstLine = (child) =>
    new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bare Nest ${child.spawnargs.at(-4)} exited (${code})`)));
      child.stdout.once('data', (d) => resolve(d.toString().trim()));
    });
  const service = spawnRole('service');
  await firstLine(service);
  const gateway = spawnRole('gateway');
  const url = await firstLine(gateway);
  const children = [gateway, service];
  return {
    url,
    pids: children.map((c) => c.pid),
    stop: async () => {
      await flushCpuProfiles(children);
      for (const child of children) (child.removeAllListeners('exit'), child.kill());
    },
  };
}

/** One row of an autocannon result table. */
export const loadSummary = (r) => ({
  'req/s': Math.round(r.requests.average),
  'p50 ms': r.latency.p50,
  'p99 ms': r.latency.p99,
  errors: r.errors + r.non2xx,
});

/** Runs `fn` over `items`, `width` at a time. */
export async function pool(items, width, fn) {
  let next = 0;
  const out = new Array(items.length);
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
