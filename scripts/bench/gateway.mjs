#!/usr/bin/env node
// `npm run bench:gateway`: GET /users/me through the gateway (JWT check → NATS → users → PostgreSQL)
// against a bare Fastify "hello" on the same machine, same run, same load: 50 connections.
// Target: gateway ≥ 30 % of bare Fastify's req/s, p99 ≤ 20 ms.
//
// And what tracing costs: the apps run with tracing off (no OTLP endpoint: nothing loaded), 10 %
// sampled and 100 % sampled (OTEL_TRACES_SAMPLER=parentbased_traceidratio), exporting OTLP/HTTP
// protobuf to a receiver in this process that drops what it gets. The configurations are
// interleaved (off, 10 %, 100 %, then 10 %, 100 %, off, …; BENCH_ROUNDS rounds, default 3; the
// apps restart for each) and each traced figure is divided by the untraced one of its round; the
// median of those ratios is the cost. Target: ≤ 10 % at 10 % sampling. Beside req/s, the CPU
// time all six apps used per request (from /proc, less what they used idle for as long just
// before): on a shared, busy machine req/s swings with what else runs, the CPU a request costs
// much less; its traced/untraced ratio is the steadier figure.
//
// BENCH_CPU_PROF=<folder>: each app also writes a V8 CPU profile of the measured load (not the
// warm-up) to <folder>/<configuration>-r<round>/ (cpu-profile-preload.mjs); summarise one with
// `node scripts/bench/cpu-profile-summary.mjs <file>`.
//
// BENCH_RESULT lines (for `npm run bench`): req/s against bare Fastify (one pair per round), and
// each traced configuration's req/s and CPU per request against tracing off in the same round.
// --quick: 4 s loads.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startOtlpReceiver } from '../lib/otlp-receiver.ts';
import { emitBenchResult, isQuick } from './lib/result.ts';
import { bareFastify, cpuMsOf, load, loadSummary, median, withStoresOnly } from './stack.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? (isQuick() ? 4 : 10));
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 3));
// BENCH_CONNECTIONS: fewer than the default 50 keeps a busy shared machine from saturating (timeouts
// then cost CPU of their own and the per-request figures stop meaning anything).
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const opts = { connections: CONNECTIONS, seconds: DURATION };
const PROFILES = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;

/** With BENCH_CPU_PROF: the profiling preload for one configuration's apps, and how to toggle it. */
function profiling(modeName, round) {
  if (!PROFILES) return { env: {}, toggle: () => {} };
  const folder = join(PROFILES, `${modeName.replace(/[^\w]+/g, '-')}-r${round}`);
  mkdirSync(folder, { recursive: true });
  const preload = pathToFileURL(new URL('./cpu-profile-preload.mjs', import.meta.url).pathname).href;
  return {
    env: { BENCH_CPU_PROF: folder, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim() },
    toggle: (pids) => pids.forEach((pid) => process.kill(pid, 'SIGWINCH')),
  };
}

const receiver = await startOtlpReceiver({ keep: false });
const traced = (ratio) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
  OTEL_TRACES_SAMPLER_ARG: String(ratio),
});
const MODES = [
  { name: 'tracing off', env: {} },
  { name: 'traced 10 %', env: traced(0.1) },
  { name: 'traced 100 %', env: traced(1) },
];

async function userToken(base, email) {
  const post = (path, body) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  // On a busy machine the first requests after a start can time out (504/503): every measured
  // request would then be a 401. Keep trying for a minute, then give up loudly.
  const giveUpAt = Date.now() + 60_000;
  let last = '';
  while (Date.now() < giveUpAt) {
    const registered = await post('/auth/register', { email, name: 'Bench', password: 'bench-password' });
    if (registered.ok || registered.status === 409) {
      const login = await post('/auth/login', { email, password: 'bench-password' });
      const { accessToken } = await login.json();
      if (accessToken) return accessToken;
      last = `login answered ${login.status}`;
    } else {
      last = `register answered ${registered.status}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  throw new Error(`no access token within 60 s (${last})`);
}

try {
  await withStoresOnly(async ({ s, start }) => {
    const base = `http://127.0.0.1:${s.ports.gateway}`;
    const email = `bench-${Date.now()}@example.com`;
    const rows = {};
    const ratios = Object.fromEntries(MODES.slice(1).map((m) => [m.name, []]));
    const cpuRatios = Object.fromEntries(MODES.slice(1).map((m) => [m.name, []]));
    const bareRatios = [];
    // [yardstick, subject] per round, for the BENCH_RESULT lines.
    const barePairs = [];
    const tracedPairs = Object.fromEntries(MODES.slice(1).map((m) => [m.name, { rps: [], cpu: [] }]));
    for (let round = 1; round <= ROUNDS; round++) {
      const fastify = await bareFastify();
      console.log(`round ${round}/${ROUNDS}: bare Fastify hello, ${DURATION}s, ${CONNECTIONS} connections…`);
      await load(fastify.url, { ...opts, seconds: Math.min(DURATION, 5) });
      const bare = loadSummary(await load(fastify.url, opts));
      fastify.stop();
      rows[`bare Fastify #${round}`] = bare;
      // Each round starts with another configuration (off/10/100, then 10/100/off, …): what the
      // first start after a pause costs (a cold machine, JIT warm-up) falls on each in turn.
      const order = MODES.map((_, i) => MODES[(i + round - 1) % MODES.length]);
      const measured = {};
      for (const mode of order) {
        console.log(`round ${round}/${ROUNDS}: gateway GET /users/me, ${mode.name}: starting the apps…`);
        const profile = profiling(mode.name, round);
        const apps = await start({ ...mode.env, ...profile.env });
        try {
          const me = { ...opts, headers: { authorization: `Bearer ${await userToken(base, email)}` } };
          await load(`${base}/users/me`, me); // warm-up, the same length; keep the second
          // What the apps use with no requests (relay polls, probes) over the same time, taken off
          // below: at a few dozen req/s on a busy machine it is most of the CPU per request otherwise.
          const idleBefore = cpuMsOf(apps.pids);
          await new Promise((resolve) => setTimeout(resolve, DURATION * 1000));
          const idleCpu = cpuMsOf(apps.pids) - idleBefore;
          const exportsBefore = receiver.requests;
          const cpuBefore = cpuMsOf(apps.pids);
          profile.toggle(apps.pids);
          const result = await load(`${base}/users/me`, me);
          profile.toggle(apps.pids);
          const cpuPerRequest = Math.max(0, cpuMsOf(apps.pids) - cpuBefore - idleCpu) / Math.max(1, result.requests.total);
          const gw = loadSummary(result);
          rows[`${mode.name} #${round}`] = {
            ...gw,
            'app CPU µs/req': Math.round(cpuPerRequest * 1000),
            'OTLP exports': receiver.requests - exportsBefore,
          };
          measured[mode.name] = { rps: gw['req/s'], cpu: cpuPerRequest };
          // Printed as it is measured: a run that fails later still shows what it got.
          console.log(`  ${mode.name} #${round}: ${gw['req/s']} req/s, app CPU ${Math.round(cpuPerRequest * 1000)} µs/req`);
        } finally {
          await apps.stop();
        }
      }
      const off = measured[MODES[0].name];
      bareRatios.push(off.rps / bare['req/s']);
      barePairs.push([bare['req/s'], off.rps]);
      for (const mode of MODES.slice(1)) {
        ratios[mode.name].push(measured[mode.name].rps / off.rps);
        cpuRatios[mode.name].push(measured[mode.name].cpu / off.cpu);
        tracedPairs[mode.name].rps.push([off.rps, measured[mode.name].rps]);
        tracedPairs[mode.name].cpu.push([off.cpu * 1000, measured[mode.name].cpu * 1000]);
      }
    }
    console.log('\nresult');
    console.table(rows);
    console.log(`gateway (tracing off) / bare Fastify, median of ${ROUNDS} rounds = ${(median(bareRatios) * 100).toFixed(1)} % (target ≥ 30 %)`);
    for (const [name, list] of Object.entries(ratios)) {
      const cost = (1 - median(list)) * 100;
      console.log(
        `${name}: req/s vs tracing off in the same round ${list.map((r) => `${(r * 100).toFixed(1)} %`).join(', ')}; median cost ${cost.toFixed(1)} %` +
          (name.includes('10 %') ? ' (target ≤ 10 %)' : ''),
      );
      const cpu = cpuRatios[name];
      console.log(
        `${name}: app CPU per request vs tracing off in the same round ${cpu.map((r) => `${(r * 100).toFixed(1)} %`).join(', ')}; median extra CPU ${((median(cpu) - 1) * 100).toFixed(1)} %`,
      );
    }
    emitBenchResult({
      bench: 'gateway',
      figure: 'req/s GET /users/me',
      unit: 'req/s',
      yardstick: 'bare Fastify hello (separate process)',
      subject: 'gateway GET /users/me, tracing off',
      pairs: barePairs,
      higherIsBetter: true,
      target: '≥ 30 % of bare Fastify',
    });
    for (const [name, { rps, cpu }] of Object.entries(tracedPairs)) {
      const common = { bench: 'gateway', yardstick: 'the same, tracing off (same round)', subject: `gateway GET /users/me, ${name}` };
      emitBenchResult({
        ...common,
        figure: `req/s GET /users/me, ${name}`,
        unit: 'req/s',
        pairs: rps,
        higherIsBetter: true,
        ...(name.includes('10 %') ? { target: 'cost ≤ 10 % (ratio ≥ 90 %)' } : {}),
      });
      emitBenchResult({ ...common, figure: `app CPU per request, ${name}`, unit: 'µs', pairs: cpu, higherIsBetter: false });
    }
  });
} finally {
  await receiver.close();
}
