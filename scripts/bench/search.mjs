#!/usr/bin/env node
// `npm run bench:search`: with 100k products seeded, the same searches (text, filters, sorts, with
// facets) sent straight to OpenSearch and through the gateway (HTTP → NATS → products → OpenSearch),
// in interleaved rounds (direct, gateway, direct, gateway, …); p50/p95 of each, the median of the
// rounds' p95 ratios and a BENCH_RESULT line; per round, the CPU ms per search of each process on
// the way (OpenSearch node, products, gateway, nats-server, the bench's client; from /proc). Also
// the seed's bulk indexing rate.
// Targets: gateway p95 ≤ 15 ms and ≤ 1.5× the direct query.
// Only products' store and the products and gateway apps run (POLYSTORE_SERVICES=products unless
// set). The test stack's catalog is reused when it already holds the bench's products (npm test wipes it).
// BENCH_PRODUCTS, BENCH_REQUESTS (per side per round), BENCH_ROUNDS (3), BENCH_CONCURRENCY (4); --quick: 500 requests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from '../build.mjs';
import { startApps } from '../lib/apps.ts';
import { provision } from '../lib/infra.ts';
import { ROOT, run } from '../lib/proc.ts';
import { appEnv, stack } from '../lib/stack.ts';
import { benchSearches } from './lib/search-queries.mjs';
import { percentile } from './stack.mjs';

process.env.POLYSTORE_SERVICES ??= 'products';
const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? (QUICK ? 500 : 2_000));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SEED_PREFIX = 'BENCH';

/** The line `npm run bench` collects (kept here until the benches share one helper). */
const emitBenchResult = (result) => console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** CPU seconds (user + system) a process has used so far, from /proc; null when it is gone or unknown. */
const cpuSeconds = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
  } catch {
    return null;
  }
};
const pidIn = (file) => {
  try {
    return Number(readFileSync(file, 'utf8').trim());
  } catch {
    return null;
  }
};

/** Whose CPU a round counts: every process on a search's way, and the bench's own client. */
let cpuWatch = {};

async function measure(name, fn) {
  const list = benchSearches();
  const latencies = [];
  let next = 0;
  const worker = async (record) => {
    while (next < (record ? REQUESTS : 200)) {
      const q = list[next++ % list.length];
      const t = performance.now();
      await fn(q);
      if (record) latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(false))); // warm-up
  next = 0;
  const cpuBefore = Object.fromEntries(Object.entries(cpuWatch).map(([who, pid]) => [who, cpuSeconds(pid)]));
  const benchBefore = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(true)));
  const seconds = (performance.now() - t0) / 1000;
  const benchCpu = process.cpuUsage(benchBefore);
  // CPU ms per search of each process (steadier than latency on a shared machine: it counts work, not waiting).
  const cpuMs = Object.fromEntries(
    Object.entries(cpuWatch).map(([who, pid]) => {
      const after = cpuSeconds(pid);
      return [`${who} CPU ms`, after === null || cpuBefore[who] === null ? NaN : +(((after - cpuBefore[who]) * 1000) / latencies.length).toFixed(2)];
    }),
  );
  cpuMs['bench client CPU ms'] = +((benchCpu.user + benchCpu.system) / 1000 / latencies.length).toFixed(2);
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    'req/s': Math.round(latencies.length / seconds),
    'p50 ms': +percentile(latencies, 50).toFixed(2),
    'p95 ms': +percentile(latencies, 95).toFixed(2),
    'p99 ms': +percentile(latencies, 99).toFixed(2),
    ...cpuMs,
  };
}

const s = stack('test');
const infra = await provision(s);
let apps = null;
try {
  await build({ quiet: true });
  // After the build: a fresh clone has no dist yet.
  const { searchBody } = await import(pathToFileURL(join(ROOT, 'dist/apps/products/src/domain/search.js')).href);
  const env = appEnv(s, infra.keys);
  const { Client } = await import('@opensearch-project/opensearch');
  // The node speaks TLS and wants products' own login (the stack gives both in products' env).
  const opensearch = new Client({
    node: env.products.PRODUCTS_OPENSEARCH_URL,
    ssl: { ca: readFileSync(env.products.PRODUCTS_OPENSEARCH_CA_FILE) },
    requestTimeout: 60_000,
  });
  const seeded = await opensearch
    .count({ index: 'products-catalog', body: { query: { prefix: { sku: `${SEED_PREFIX}-` } } } })
    .then((r) => r.body.count)
    .catch(() => 0);
  let seedLine = `reusing the ${seeded} products seeded before`;
  if (seeded < PRODUCTS) {
    console.log(`seeding ${PRODUCTS} products (bulk, no events)…`);
    const seedOut = await run(
      process.execPath,
      [join(ROOT, 'dist/apps/products/src/cli/seed.js'), String(PRODUCTS), '--prefix', SEED_PREFIX, '--batch', '2000', '--no-events'],
      // A busy machine makes a 2,000-document bulk request slow: the seed gets a longer deadline.
      { env: { ...env.products, PRODUCTS_STORE_TIMEOUT_MS: '120000' }, quiet: true },
    );
    seedLine = seedOut.split('\n').find((l) => l.startsWith('seeded')) ?? seedOut.trim();
  }
  console.log(seedLine);
  apps = await startApps(s, infra.keys, { logDir: join(s.dataDir, 'logs'), apps: ['products', 'gateway'], timeoutMs: 180_000 });
  cpuWatch = {
    opensearch: pidIn(join(s.dataDir, 'products', 'opensearch', 'opensearch.pid')),
    products: apps.children.get('products')?.pid,
    gateway: apps.children.get('gateway')?.pid,
    nats: pidIn(join(s.dataDir, 'nats', 'nats.pid')),
  };
  const gateway = `http://127.0.0.1:${s.ports.gateway}`;
  const viaGateway = async (q) => {
    const res = await fetch(`${gateway}/products?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`);
    if (!res.ok) throw new Error(`gateway ${res.status}: ${await res.text()}`);
    await res.json();
  };
  // The same request products sends (searchBody, and the store's request_cache flag).
  const direct = async (q) => {
    await opensearch.search({ index: 'products-catalog', body: searchBody(q), request_cache: true });
  };
  const rows = [];
  const pairs = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const d = await measure(`OpenSearch direct (round ${round})`, direct);
    const g = await measure(`gateway GET /products (round ${round})`, viaGateway);
    rows.push(d, g);
    pairs.push([d['p95 ms'], g['p95 ms']]);
  }
  console.log(`\nresult (${REQUESTS} searches per side per round, ${CONCURRENCY} at a time, over ${PRODUCTS} products)`);
  console.table(Object.fromEntries(rows.map(({ name, ...r }) => [name, r])));
  const ratio = median(pairs.map(([d, g]) => g / d));
  const gatewayP95 = median(pairs.map(([, g]) => g));
  console.log(
    `gateway p95 / direct p95 = ${ratio.toFixed(2)}× (median of ${ROUNDS} rounds; target ≤ 1.5×), gateway p95 = ${gatewayP95} ms (median; target ≤ 15 ms)`,
  );
  console.log(`bulk indexing: ${seedLine}`);
  emitBenchResult({
    bench: 'search',
    figure: 'p95 ms of a catalog search with facets, 4 at a time, 100k products',
    unit: 'ms',
    yardstick: 'OpenSearch direct',
    subject: 'gateway GET /products',
    pairs,
    higherIsBetter: false,
    target: 'gateway p95 ≤ 15 ms and ≤ 1.5× direct',
  });
  await opensearch.close();
} finally {
  await apps?.stop();
  await infra.stop();
}
