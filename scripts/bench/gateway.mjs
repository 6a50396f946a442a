#!/usr/bin/env node
// `npm run bench:gateway`: GET /users/me through the gateway (JWT check → NATS → users → PostgreSQL)
// against a bare Fastify "hello" on the same machine, same run, same load: 50 connections.
// Target: gateway ≥ 30 % of bare Fastify's req/s, p99 ≤ 20 ms.
//
// And what tracing costs: the apps run with tracing off (no OTLP endpoint: nothing loaded), 10 %
// sampled and 100 % sampled (OTEL_TRACES_SAMPLER=parentbased_traceidratio; BENCH_TRACE_RATIOS
// picks other ratios), exporting OTLP/HTTP protobuf to a receiver in this process that drops what
// it gets. Each configuration's users and gateway run on a small stack of their own (NATS, users'
// PostgreSQL), all at once; a round is one load on each in turn (off, 10 %, 100 %, then 10 %,
// 100 %, off, …), so the figures a round compares are seconds apart, and every two rounds all the
// apps start afresh (then warm up again): how fast one start of an app runs differs from another's
// by a few per cent for its whole life. BENCH_ROUNDS rounds, default 8 (4 with --quick). Each
// traced figure is divided by the untraced one of its round; the median of those ratios is the
// cost. Target: ≤ 10 % at 10 % sampling. Beside req/s, the CPU time the two apps used per request
// (from /proc, less what they use idle).
//
// Checked on itself: three tracing-off stacks side by side, 8 rounds, came out at median ratios of
// 102.2 % and 98.9 % of each other.
//
// BENCH_CPU_PROF=<folder>: each app also writes a V8 CPU profile of each measured load (not the
// warm-up) to <folder>/<configuration>/<app>-<pid>-<n>.cpuprofile, n counting that process's
// measured loads (cpu-profile-preload.mjs);
// summarise them with `node scripts/bench/cpu-profile-summary.mjs <file>…`.
//
// BENCH_RESULT lines (for `npm run bench`): req/s against bare Fastify (one pair per round), and
// each traced configuration's req/s and CPU per request against tracing off in the same round.
// --quick: 4 s loads.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startOtlpReceiver } from '../lib/otlp-receiver.ts';
import { emitBenchResult, isQuick } from './lib/result.ts';
import { bareFastify, cpuMsOf, load, loadSummary, median, withSideBySideStacks } from './stack.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? (isQuick() ? 4 : 10));
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? (isQuick() ? 4 : 8)));
// The apps of every configuration start afresh every this many rounds (see withSideBySideStacks).
const ROUNDS_PER_START = 2;
// BENCH_CONNECTIONS: fewer than the default 50 keeps a busy shared machine from saturating (timeouts
// then cost CPU of their own and the per-request figures stop meaning anything).
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const opts = { connections: CONNECTIONS, seconds: DURATION };
const PROFILES = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;

/** With BENCH_CPU_PROF: the profiling preload for one configuration's apps, and how to toggle it. */
function profiling(modeName) {
  if (!PROFILES) return { env: {}, toggle: () => {} };
  const folder = join(PROFILES, modeName.replace(/[^\w]+/g, '-'));
  mkdirSync(folder, { recursive: true });
  const preload = pathToFileURL(new URL('./cpu-profile-preload.mjs', import.meta.url).pathname).href;
  return {
    env: { BENCH_CPU_PROF: folder, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim() },
    toggle: (pids) => pids.forEach((pid) => process.kill(pid, 'SIGWINCH')),
  };
}

// One receiver per traced configuration: each load's export count is its own apps'.
const receivers = [];
async function traced(ratio) {
  const receiver = await startOtlpReceiver({ keep: false });
  receivers.push(receiver);
  return {
    receiver,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: String(ratio),
    },
  };
}
// BENCH_TRACE_RATIOS: the sampling ratios to compare with tracing off (default 0.1,1; 0 measures
// what the SDK costs when it records nothing).
const RATIOS = (process.env.BENCH_TRACE_RATIOS ?? '0.1,1').split(',').map(Number);
if (RATIOS.some((ratio) => !(ratio >= 0 && ratio <= 1)))
  throw new Error(`BENCH_TRACE_RATIOS: ratios from 0 to 1, got "${process.env.BENCH_TRACE_RATIOS}"`);
const MODES = [
  { name: 'tracing off', env: {} },
  ...(await Promise.all(RATIOS.map(async (ratio) => ({ name: `traced ${Math.round(ratio * 1000) / 10} %`, ...(await traced(ratio)) })))),
].map((mode) => {
  const profile = profiling(mode.name);
  return { ...mode, env: { ...mode.env, ...profile.env }, toggle: profile.toggle };
});

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

/** Prints the table and the ratios, and the BENCH_RESULT lines. */
function report({ rows, ratios, cpuRatios, bareRatios, barePairs, tracedPairs }) {
  console.log('\nresult');
  console.table(rows);
  console.log(`gateway (tracing off) / bare Fastify, median of ${ROUNDS} rounds = ${(median(bareRatios) * 100).toFixed(1)} % (target ≥ 30 %)`);
  for (const [name, list] of Object.entries(ratios)) {
    const cost = (1 - median(list)) * 100;
    console.log(
      `${name}: req/s vs tracing off in the same round ${list.map((r) => `${(r * 100).toFixed(1)} %`).join(', ')}; median cost ${cost.toFixed(1)} %` +
        (name === 'traced 10 %' ? ' (target ≤ 10 %)' : ''),
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
      ...(name === 'traced 10 %' ? { target: 'cost ≤ 10 % (ratio ≥ 90 %)' } : {}),
    });
    emitBenchResult({ ...common, figure: `app CPU per request, ${name}`, unit: 'µs', pairs: cpu, higherIsBetter: false });
  }
}

// Each configuration's apps (users, gateway) run on a small stack of their own (NATS, users'
// PostgreSQL), all at once, set up and warmed up before the first measured load: a round is then
// one load on each, seconds apart.
const STACK = { services: ['users'], apps: ['users', 'gateway'] };

try {
  await withSideBySideStacks(MODES, STACK, async (stacks, restartApps) => {
    const email = `bench-${Date.now()}@example.com`;
    for (const stackOfMode of stacks) {
      stackOfMode.base = `http://127.0.0.1:${stackOfMode.s.ports.gateway}`;
      stackOfMode.me = { ...opts, headers: { authorization: `Bearer ${await userToken(stackOfMode.base, email)}` } };
    }
    const fastify = await bareFastify();
    let idleCpu = [];
    // After each (re)start of the apps: two warm-up passes (the first loads after a start ran
    // slower than the rest in every configuration), then what the apps use with no requests
    // (relay polls, probes), measured for all at once over one load's length and taken off each
    // load's CPU below.
    const warmUp = async () => {
      console.log(`warming up each configuration's gateway, twice ${DURATION}s each…`);
      for (let pass = 1; pass <= 2; pass++) for (const { base, me } of stacks) await load(`${base}/users/me`, me);
      const idleBefore = stacks.map(({ pids }) => cpuMsOf(pids));
      await new Promise((resolve) => setTimeout(resolve, DURATION * 1000));
      idleCpu = stacks.map(({ pids }, i) => cpuMsOf(pids) - idleBefore[i]);
    };
    try {
      await load(fastify.url, opts);
      await warmUp();
      const rows = {};
      const ratios = Object.fromEntries(MODES.slice(1).map((m) => [m.name, []]));
      const cpuRatios = Object.fromEntries(MODES.slice(1).map((m) => [m.name, []]));
      const bareRatios = [];
      // [yardstick, subject] per round, for the BENCH_RESULT lines.
      const barePairs = [];
      const tracedPairs = Object.fromEntries(MODES.slice(1).map((m) => [m.name, { rps: [], cpu: [] }]));
      for (let round = 1; round <= ROUNDS; round++) {
        if (round > 1 && (round - 1) % ROUNDS_PER_START === 0) {
          console.log("starting every configuration's apps afresh…");
          await restartApps();
          await warmUp();
        }
        const bare = loadSummary(await load(fastify.url, opts));
        rows[`bare Fastify #${round}`] = bare;
        // Each round starts with another configuration (off/10/100, then 10/100/off, …).
        const order = stacks.map((_, i) => stacks[(i + round - 1) % stacks.length]);
        const measured = {};
        for (const stackOfMode of order) {
          const { name, base, me, pids } = stackOfMode;
          const { toggle, receiver } = MODES.find((mode) => mode.name === name);
          const exportsBefore = receiver?.requests ?? 0;
          const cpuBefore = cpuMsOf(pids);
          toggle(pids);
          const result = await load(`${base}/users/me`, me);
          toggle(pids);
          const idle = idleCpu[stacks.indexOf(stackOfMode)];
          const cpuPerRequest = Math.max(0, cpuMsOf(pids) - cpuBefore - idle) / Math.max(1, result.requests.total);
          const gw = loadSummary(result);
          rows[`${name} #${round}`] = {
            ...gw,
            'app CPU µs/req': Math.round(cpuPerRequest * 1000),
            'OTLP exports': (receiver?.requests ?? 0) - exportsBefore,
          };
          measured[name] = { rps: gw['req/s'], cpu: cpuPerRequest };
          // Printed as it is measured: a run that fails later still shows what it got.
          console.log(
            `  round ${round}/${ROUNDS}, ${name}: ${gw['req/s']} req/s, app CPU ${Math.round(cpuPerRequest * 1000)} µs/req (bare Fastify ${bare['req/s']} req/s)`,
          );
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
      report({ rows, ratios, cpuRatios, bareRatios, barePairs, tracedPairs });
    } finally {
      fastify.stop();
    }
  });
} finally {
  for (const receiver of receivers) await receiver.close();
}
