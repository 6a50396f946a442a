#!/usr/bin/env node
// `npm run bench:search`: with 100k products seeded, the same searches through the gateway
// (HTTP → NATS → products → OpenSearch) and sent straight to OpenSearch, in the same run;
// p50/p95 for both and the ratio. Also the seed's bulk indexing rate.
// Targets: gateway p95 ≤ 15 ms and ≤ 1.5× the direct query.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, run } from '../lib/proc.ts';
import { percentile, withRunningStack } from './stack.mjs';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

const { searchBody } = await import(pathToFileURL(join(ROOT, 'dist/apps/products/src/domain/search.js')).href);

/** A repeatable mix: text queries, filters, sorts. */
function queries() {
  const words = [
    'running shoe',
    'tent',
    'lamp',
    'headphones',
    'kettle',
    'yoga mat',
    'backpack',
    'waterproof',
    'ultralight',
    'chef knife',
    'charger',
    'boot',
  ];
  const cats = ['shoes', 'outdoor', 'home', 'electronics', 'kitchen', 'fitness'];
  const list = [];
  for (let i = 0; i < 50; i++) {
    const q = { q: words[i % words.length], limit: 20 };
    if (i % 3 === 0) q.category = cats[i % cats.length];
    if (i % 4 === 0) Object.assign(q, { minPrice: 1000, maxPrice: 20000 });
    if (i % 5 === 0) q.inStock = true;
    if (i % 6 === 0) q.sort = 'price_asc';
    list.push(q);
  }
  return list;
}

async function measure(name, fn) {
  const list = queries();
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
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(true)));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    'req/s': Math.round(latencies.length / seconds),
    'p50 ms': +percentile(latencies, 50).toFixed(2),
    'p95 ms': +percentile(latencies, 95).toFixed(2),
    'p99 ms': +percentile(latencies, 99).toFixed(2),
  };
}

await withRunningStack(async ({ s, env }) => {
  console.log(`seeding ${PRODUCTS} products (bulk, no events)…`);
  const seedOut = await run(
    process.execPath,
    [join(ROOT, 'dist/apps/products/src/cli/seed.js'), String(PRODUCTS), '--prefix', 'BENCH', '--batch', '2000', '--no-events'],
    {
      env: env.products,
      quiet: true,
    },
  );
  const seedLine = seedOut.split('\n').find((l) => l.startsWith('seeded')) ?? seedOut.trim();
  console.log(seedLine);
  const gateway = `http://127.0.0.1:${s.ports.gateway}`;
  // The node speaks TLS and wants products' own login (the stack gives both in products' env).
  const { Client } = await import('@opensearch-project/opensearch');
  const opensearch = new Client({ node: env.products.PRODUCTS_OPENSEARCH_URL, ssl: { ca: readFileSync(env.products.PRODUCTS_OPENSEARCH_CA_FILE) } });
  const viaGateway = async (q) => {
    const res = await fetch(`${gateway}/products?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`);
    if (!res.ok) throw new Error(`gateway ${res.status}: ${await res.text()}`);
    await res.json();
  };
  const direct = async (q) => {
    await opensearch.search({ index: 'products-catalog', body: searchBody(q) });
  };
  const rows = [await measure('OpenSearch direct', direct), await measure('gateway GET /products', viaGateway)];
  console.log(`\nresult (${REQUESTS} searches each, ${CONCURRENCY} at a time, over ${PRODUCTS} products)`);
  console.table(Object.fromEntries(rows.map(({ name, ...r }) => [name, r])));
  const ratio = rows[1]['p95 ms'] / rows[0]['p95 ms'];
  console.log(`gateway p95 / direct p95 = ${ratio.toFixed(2)}× (target ≤ 1.5×), gateway p95 = ${rows[1]['p95 ms']} ms (target ≤ 15 ms)`);
  console.log(`bulk indexing: ${seedLine}`);
  await opensearch.close();
});
