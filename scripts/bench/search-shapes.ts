#!/usr/bin/env node
// `npm run profile:search`: where a catalog search's time goes inside OpenSearch, on the test stack's
// products node (run `npm run bench:search` once first: it seeds the catalog; the node must be up,
// e.g. `npm run infra:up -- test`). Three views, each printed:
//  1. the profile API (`"profile": true`, request cache off) over bench:search's 50 searches, summed
//     by query type, collector and aggregation (ms of the shard's own time);
//  2. the node's CPU (utime + stime of its process, from /proc) and GC time per request, in
//     interleaved rounds, for the search as products sends it and for variants that drop one part
//     each (request cache, hits, facets, fuzziness, everything): what each part costs, and what a
//     request costs that does no search at all (TLS, the security plugin, HTTP); with the request
//     cache's hits and misses. EXPERIMENTS=1 adds candidate query shapes (`x: …`);
//  3. `_nodes/hot_threads` taken while the cached and the uncached searches of (2) ran.
// CPU_SEARCHES (150 per variant per round), ROUNDS (3), CONCURRENCY (4), VARIANTS (a regexp of
// variant names), SKIP_PROFILE=1 (no profile API pass), COMPARE_INDEX (see below).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../lib/proc.ts';
import { appEnv, stack } from '../lib/stack.ts';
import { ensureJwtKeys, jwtKeysDir } from '../lib/infra.ts';
import { openSearchAdmin } from '../lib/stores/opensearch.ts';
import { openSearchRequest } from '../lib/stores/opensearch-security.ts';
import { benchSearches } from './lib/search-queries.mjs';

const CPU_SEARCHES = Number(process.env.CPU_SEARCHES ?? 150);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const INDEX = 'products-catalog';
const CLOCK_TICKS_PER_S = 100;

const s = stack('test');
const env = appEnv(s, ensureJwtKeys(jwtKeysDir(s)));
const { searchBody } = (await import(pathToFileURL(join(ROOT, 'dist/apps/products/src/domain/search.js')).href)) as {
  searchBody: (q: unknown) => Record<string, unknown>;
};
const { Client } = await import('@opensearch-project/opensearch');
// As products connects: its own user, TLS with the stack's CA, keep-alive.
const owner = new Client({
  node: env.products.PRODUCTS_OPENSEARCH_URL,
  ssl: { ca: readFileSync(env.products.PRODUCTS_OPENSEARCH_CA_FILE!) },
  requestTimeout: 60_000,
});
const admin = openSearchAdmin(s, 'products');
const nodePid = Number(readFileSync(join(s.dataDir, 'products', 'opensearch', 'opensearch.pid'), 'utf8').trim());
const cpuTicks = () => {
  const fields = readFileSync(`/proc/${nodePid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
};
const searches = benchSearches();
const bodies = searches.map((q) => searchBody(q));

// 1. The profile API.
type ProfileNode = { type: string; description: string; time_in_nanos: number; children?: ProfileNode[] };
const byQueryType = new Map<string, number>();
const byCollector = new Map<string, number>();
const byAgg = new Map<string, number>();
let took = 0;
const add = (m: Map<string, number>, k: string, ns: number) => m.set(k, (m.get(k) ?? 0) + ns / 1e6);
const walkQuery = (n: ProfileNode) => {
  // Self time: a node's time minus its children's.
  const children = n.children ?? [];
  const self = n.time_in_nanos - children.reduce((sum, c) => sum + c.time_in_nanos, 0);
  add(byQueryType, n.type, self);
  children.forEach(walkQuery);
};
const walkCollector = (n: { name: string; time_in_nanos: number; children?: unknown[] }) => {
  const children = (n.children ?? []) as Array<typeof n>;
  add(byCollector, n.name, n.time_in_nanos - children.reduce((sum, c) => sum + c.time_in_nanos, 0));
  children.forEach(walkCollector);
};
for (const body of process.env.SKIP_PROFILE ? [] : bodies) {
  const { body: r } = await owner.search({ index: INDEX, body: { ...body, profile: true } as never, request_cache: false });
  took += r.took;
  for (const shard of r.profile!.shards) {
    for (const search of shard.searches) {
      (search.query as ProfileNode[]).forEach(walkQuery);
      (search.collector as never[]).forEach(walkCollector);
      add(byQueryType, '(rewrite)', search.rewrite_time);
    }
    for (const agg of shard.aggregations as ProfileNode[]) add(byAgg, `${agg.description} (${agg.type})`, agg.time_in_nanos);
  }
}
const table = (m: Map<string, number>) =>
  Object.fromEntries(
    [...m].sort((a, b) => b[1] - a[1]).map(([k, ms]) => [k, { 'ms (50 searches)': +ms.toFixed(1), 'ms per search': +(ms / 50).toFixed(2) }]),
  );
console.log(`\n1. profile API over the ${bodies.length} searches (request cache off; sum of "took": ${took} ms)`);
console.log('query (self time by type):');
console.table(table(byQueryType));
console.log('collectors:');
console.table(table(byCollector));
console.log('aggregations:');
console.table(table(byAgg));

// 2. The node's CPU per search, per variant.
const multiMatch = (b: Record<string, unknown>, change: Record<string, unknown>) => {
  const copy = JSON.parse(JSON.stringify(b)) as { query: { bool: { must: Array<{ multi_match?: Record<string, unknown> }> } } };
  const mm = copy.query.bool.must[0]?.multi_match;
  if (mm) Object.assign(mm, change);
  return copy;
};
const cached = (change: (b: Record<string, unknown>) => unknown) => (i: number) =>
  owner.search({ index: INDEX, body: change(bodies[i % bodies.length]!) as never, request_cache: true });
const experiments: Array<[string, (i: number) => Promise<unknown>]> = [
  ['x: fuzziness AUTO (two edits from 6 letters)', cached((b) => multiMatch(b, { fuzziness: 'AUTO' }))],
  ['x: fuzziness AUTO:4,8', cached((b) => multiMatch(b, { fuzziness: 'AUTO:4,8' }))],
  ['x: one edit, no transpositions', cached((b) => multiMatch(b, { fuzzy_transpositions: false }))],
  ['x: prefix_length 3', cached((b) => multiMatch(b, { prefix_length: 3 }))],
  ['x: max_expansions 10', cached((b) => multiMatch(b, { max_expansions: 10 }))],
  ['x: no fuzziness', cached((b) => multiMatch(b, { fuzziness: undefined }))],
  [
    'x: _source includes',
    cached((b) => ({
      ...b,
      _source: [
        'id',
        'sku',
        'name',
        'description',
        'brand',
        'categories',
        'priceCents',
        'currency',
        'attributes',
        'stockOnHand',
        'stockAvailable',
        'version',
        'createdAt',
        'updatedAt',
      ],
    })),
  ],
  [
    'x: fuzzy on name and brand only',
    cached((b) => {
      const copy = JSON.parse(JSON.stringify(b)) as { query: { bool: { must: Array<{ multi_match?: Record<string, unknown> }> } } };
      const mm = copy.query.bool.must[0]?.multi_match;
      if (mm) {
        const { fuzziness: _f, prefix_length: _p, max_expansions: _m, ...exact } = mm;
        copy.query.bool.must = [
          {
            bool: {
              should: [{ multi_match: exact }, { multi_match: { ...mm, fields: ['name^3', 'brand.text^2'] } }],
              minimum_should_match: 1,
            },
          } as never,
        ];
      }
      return copy;
    }),
  ],
  ['x: track_total_hits 1000', cached((b) => ({ ...b, track_total_hits: 1000 }))],
];
// COMPARE_INDEX: the same searches against another of products' indices (e.g. a copy with other settings or segments).
const COMPARE_INDEX = process.env.COMPARE_INDEX;
const variants: Array<[string, (i: number) => Promise<unknown>]> = [
  ...(process.env.EXPERIMENTS ? experiments : []),
  ...(COMPARE_INDEX
    ? ([
        [
          `${COMPARE_INDEX}, request cache on`,
          (i: number) => owner.search({ index: COMPARE_INDEX, body: bodies[i % bodies.length] as never, request_cache: true }),
        ],
        [
          `${COMPARE_INDEX}, request cache off`,
          (i: number) => owner.search({ index: COMPARE_INDEX, body: bodies[i % bodies.length] as never, request_cache: false }),
        ],
      ] as Array<[string, (i: number) => Promise<unknown>]>)
    : []),
  ['as products sends it (request cache on)', (i) => owner.search({ index: INDEX, body: bodies[i % bodies.length] as never, request_cache: true })],
  [
    'request cache on, size 0 (facets only)',
    (i) => owner.search({ index: INDEX, body: { ...bodies[i % bodies.length], size: 0 } as never, request_cache: true }),
  ],
  [
    'request cache on, no _source',
    (i) => owner.search({ index: INDEX, body: { ...bodies[i % bodies.length], _source: false } as never, request_cache: true }),
  ],
  ['request cache off', (i) => owner.search({ index: INDEX, body: bodies[i % bodies.length] as never, request_cache: false })],
  [
    'cache off, no facets',
    (i) => owner.search({ index: INDEX, body: { ...bodies[i % bodies.length], aggs: undefined } as never, request_cache: false }),
  ],
  [
    'cache off, no fuzziness',
    (i) => owner.search({ index: INDEX, body: multiMatch(bodies[i % bodies.length]!, { fuzziness: undefined }) as never, request_cache: false }),
  ],
  [
    'cache off, size 0 (facets, no hits)',
    (i) => owner.search({ index: INDEX, body: { ...bodies[i % bodies.length], size: 0 } as never, request_cache: false }),
  ],
  ['match_all, size 0 (no search work)', () => owner.search({ index: INDEX, body: { size: 0, query: { match_all: {} } }, request_cache: false })],
  ['GET / (a request, no search)', () => owner.info()],
];
console.log(`\n2. the node's CPU per request (${ROUNDS} interleaved rounds of ${CPU_SEARCHES} requests per variant, ${CONCURRENCY} at a time)`);
const cacheStats = async () => {
  const r = await openSearchRequest(admin, 'GET', `/${INDEX}/_stats/request_cache`);
  return (r.body as { _all: { primaries: { request_cache: Record<string, number> } } })._all.primaries.request_cache;
};
const rows: Record<string, Record<string, number>> = {};
const hotThreads = new Map<string, string>();
const HOT_THREADS_OF = /^(as products sends it|request cache off$)/;
const gcMs = async () => {
  const r = await openSearchRequest(admin, 'GET', '/_nodes/_local/stats/jvm');
  const node = Object.values(
    (r.body as { nodes: Record<string, { jvm: { gc: { collectors: Record<string, { collection_time_in_millis: number }> } } }> }).nodes,
  )[0]!;
  return Object.values(node.jvm.gc.collectors).reduce((sum, c) => sum + c.collection_time_in_millis, 0);
};
const only = process.env.VARIANTS ? new RegExp(process.env.VARIANTS) : null;
const chosen = variants.filter(([name]) => !only || only.test(name));
// Interleaved rounds (every variant once per round, in turn): a noisy machine shifts them all alike.
const perRound = new Map<string, Array<Record<string, number>>>(chosen.map(([name]) => [name, []]));
for (const [, send] of chosen) for (let i = 0; i < 50; i++) await send(i); // warm-up (and fills the request cache)
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, send] of chosen) {
    const cacheBefore = await cacheStats();
    const gcBefore = await gcMs();
    let next = 0;
    const latencies: number[] = [];
    const ticks0 = cpuTicks();
    const t0 = performance.now();
    const worker = async () => {
      while (next < CPU_SEARCHES) {
        const i = next++;
        const t = performance.now();
        await send(i);
        latencies.push(performance.now() - t);
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (!hotThreads.has(name) && HOT_THREADS_OF.test(name)) {
      const r = await openSearchRequest(admin, 'GET', '/_nodes/hot_threads?threads=4&interval=500ms&snapshots=10&ignore_idle_threads=true');
      hotThreads.set(name, String(r.body));
    }
    await load;
    const wallMs = performance.now() - t0;
    const cpuMs = ((cpuTicks() - ticks0) * 1000) / CLOCK_TICKS_PER_S;
    const cacheAfter = await cacheStats();
    const gc = (await gcMs()) - gcBefore;
    latencies.sort((a, b) => a - b);
    perRound.get(name)!.push({
      cpu: cpuMs / CPU_SEARCHES,
      gc: gc / CPU_SEARCHES,
      p50: latencies[Math.floor(latencies.length / 2)]!,
      rps: (CPU_SEARCHES * 1000) / wallMs,
      hits: cacheAfter.hit_count! - cacheBefore.hit_count!,
      misses: cacheAfter.miss_count! - cacheBefore.miss_count!,
    });
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, runs] of perRound) {
  const cpus = runs.map((r) => r.cpu);
  rows[name] = {
    'node CPU ms / request (median)': +median(cpus).toFixed(2),
    min: +Math.min(...cpus).toFixed(2),
    max: +Math.max(...cpus).toFixed(2),
    'GC ms / request': +median(runs.map((r) => r.gc)).toFixed(2),
    'p50 ms': +median(runs.map((r) => r.p50)).toFixed(1),
    'req/s': Math.round(median(runs.map((r) => r.rps))),
    'cache hits': runs.reduce((sum, r) => sum + r.hits, 0),
    'cache misses': runs.reduce((sum, r) => sum + r.misses, 0),
  };
}
console.table(rows);
const final = await cacheStats();
console.log(`request cache now: ${JSON.stringify(final)}`);
// Each busy thread's share and, per group of snapshots, the top frames (where the time is spent).
const FRAMES = Number(process.env.HOT_THREAD_FRAMES ?? 6);
for (const [name, text] of hotThreads) {
  console.log(`\n3. hot threads while "${name}" ran (top ${FRAMES} frames per snapshot group):`);
  let frames = 0;
  for (const line of text.split('\n')) {
    if (/cpu usage by thread|snapshots sharing/.test(line)) {
      console.log(line);
      frames = 0;
    } else if (/^\s+(app\/\/|java\.|jdk\.|org\.|io\.)/.test(line) && frames++ < FRAMES) console.log(line);
  }
}
await owner.close();
