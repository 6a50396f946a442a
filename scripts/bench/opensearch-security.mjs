#!/usr/bin/env node
// `npm run bench:opensearch-security`: what the security plugin costs, in one run. Two scratch
// nodes side by side (same jars, same heap): one plain (HTTP, no plugin), one as the stacks run it
// (security plugin, TLS, basic auth as a service user limited to its indices). Reports
//  - each node's cold start (fresh data folder; the secured one also writes its security index);
//  - bulk indexing: the same bulk requests to each node in turn (order alternating), median ratio;
//  - search latency through @opensearch-project/opensearch (as products uses it, keep-alive):
//    ROUNDS rounds, each SEARCHES searches on one node then the other (order alternating), and the
//    median over rounds of secured p50 / plain p50.
// BENCH_RESULT lines (for `npm run bench`): bulk time and search p50, secured against plain, one
// pair per bulk request / per round. --quick: 3 rounds of 100 searches over 4,000 documents, bulks of 1,000.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPassword } from '../lib/secrets.ts';
import { ADMIN_USERS, serviceLogin } from '../lib/stack.ts';
import { ensureOpenSearchJars, startOpenSearch } from '../lib/stores/opensearch-node.ts';
import {
  NODE_COMMON_NAME,
  ensureSecurityPlugin,
  internalUsersFile,
  securityConfigFiles,
  syncServiceAccess,
} from '../lib/stores/opensearch-security.ts';
import { ensureServerCertificate } from '../lib/stores/tls.ts';
import { emitBenchResult, isQuick } from './lib/result.ts';
import { percentile } from './stack.mjs';

const QUICK = isQuick();
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? (QUICK ? 3 : 7)));
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? (QUICK ? 100 : 300));
const DOCS = Number(process.env.BENCH_DOCS ?? (QUICK ? 4_000 : 10_000));
const BULK = Number(process.env.BENCH_BULK ?? (QUICK ? 1_000 : 2_000));
const HEAP_MB = Number(process.env.BENCH_HEAP_MB ?? 384);
const SERVICE = 'products';
const INDEX = `${SERVICE}-bench`;

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

const log = (msg) => console.log(`bench: ${msg}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const scratch = mkdtempSync(join(tmpdir(), 'polystore-os-bench-'));
const nodes = [];
try {
  const jarsDir = await ensureOpenSearchJars({ log });
  const pluginDir = await ensureSecurityPlugin(jarsDir, log);
  const tls = ensureServerCertificate({ dir: join(scratch, 'tls'), commonName: NODE_COMMON_NAME, hosts: ['localhost', '127.0.0.1'] });
  const { Client } = await import('@opensearch-project/opensearch');

  const start = async (name, security) => {
    const dataDir = join(scratch, name);
    const httpPort = await freePort();
    const t = performance.now();
    const node = await startOpenSearch({ jarsDir, security, httpPort, dataDir, logFile: join(scratch, `${name}.log`), heapMb: HEAP_MB, log });
    const seconds = (performance.now() - t) / 1000;
    nodes.push(node);
    return { httpPort, seconds };
  };
  // One after the other: each start is timed alone.
  const plain = await start('plain');
  // Scratch nodes: passwords of their own, made for this run.
  const admin = { user: ADMIN_USERS.opensearch.user, password: newPassword() };
  const owner = { ...serviceLogin(SERVICE), password: newPassword() };
  const configFiles = { ...securityConfigFiles(SERVICE), 'internal_users.yml': internalUsersFile(SERVICE, admin, owner) };
  const secure = await start('secured', { pluginDir, tls, configFiles, admin });
  const ca = readFileSync(tls.caFile);
  await syncServiceAccess({ url: `https://127.0.0.1:${secure.httpPort}`, ca, login: admin }, SERVICE, owner);
  const clients = {
    plain: new Client({ node: `http://127.0.0.1:${plain.httpPort}` }),
    secured: new Client({ node: `https://${owner.user}:${owner.password}@127.0.0.1:${secure.httpPort}`, ssl: { ca } }),
  };

  log(`indexing ${DOCS} documents into each node, ${BULK} per bulk request, alternating nodes`);
  const words = ['trail', 'running', 'shoe', 'tent', 'lamp', 'kettle', 'backpack', 'waterproof', 'ultralight', 'charger', 'boot', 'mat'];
  for (const client of Object.values(clients))
    await client.indices.create({ index: INDEX, body: { settings: { number_of_shards: 1, number_of_replicas: 0 } } });
  const bulkMs = { plain: [], secured: [] };
  for (let from = 0; from < DOCS; from += BULK) {
    const body = [];
    for (let i = from; i < Math.min(DOCS, from + BULK); i++) {
      body.push(
        { create: { _index: INDEX, _id: String(i) } },
        { name: `${words[i % 12]} ${words[(i * 7) % 12]} ${i}`, priceCents: (i * 37) % 20000, stock: i % 9 },
      );
    }
    const order = (from / BULK) % 2 === 0 ? ['plain', 'secured'] : ['secured', 'plain'];
    for (const name of order) {
      const t = performance.now();
      await clients[name].bulk({ body });
      bulkMs[name].push(performance.now() - t);
    }
  }
  for (const client of Object.values(clients)) await client.indices.refresh({ index: INDEX });

  const search = (client, i) =>
    client.search({
      index: INDEX,
      body: {
        size: 20,
        query: { bool: { must: { match: { name: words[i % 12] } }, filter: { range: { priceCents: { lte: 1000 + ((i * 131) % 19000) } } } } },
      },
    });
  const run = async (client) => {
    const ms = [];
    for (let i = 0; i < SEARCHES; i++) {
      const t = performance.now();
      await search(client, i);
      ms.push(performance.now() - t);
    }
    return ms.sort((a, b) => a - b);
  };
  await run(clients.plain); // warm-up, both
  await run(clients.secured);
  const rows = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['plain', 'secured'] : ['secured', 'plain'];
    const result = {};
    for (const name of order) result[name] = await run(clients[name]);
    rows.push({
      round: round + 1,
      'plain p50 ms': +percentile(result.plain, 50).toFixed(2),
      'secured p50 ms': +percentile(result.secured, 50).toFixed(2),
      'plain p99 ms': +percentile(result.plain, 99).toFixed(2),
      'secured p99 ms': +percentile(result.secured, 99).toFixed(2),
      'p50 ratio': +(percentile(result.secured, 50) / percentile(result.plain, 50)).toFixed(3),
    });
  }
  console.log(`\ncold start (fresh data folder, heap ${HEAP_MB} MB): plain ${plain.seconds.toFixed(1)} s, secured ${secure.seconds.toFixed(1)} s`);
  const bulkRatios = bulkMs.plain.map((ms, i) => bulkMs.secured[i] / ms);
  console.log(
    `bulk (${BULK} documents per request, ${bulkMs.plain.length} requests each): median plain ${median(bulkMs.plain).toFixed(0)} ms, ` +
      `secured ${median(bulkMs.secured).toFixed(0)} ms, median ratio ${median(bulkRatios).toFixed(2)}×`,
  );
  console.log(`searches: ${ROUNDS} rounds × ${SEARCHES} sequential searches per node over ${DOCS} documents`);
  console.table(rows);
  console.log(
    `median secured/plain p50 = ${median(rows.map((r) => r['p50 ratio'])).toFixed(3)}×; ` +
      `median p50: plain ${median(rows.map((r) => r['plain p50 ms']))} ms, secured ${median(rows.map((r) => r['secured p50 ms']))} ms`,
  );
  const common = {
    bench: 'opensearch-security',
    yardstick: 'plain node (HTTP, no security plugin)',
    subject: 'secured node (plugin, TLS, service user)',
  };
  emitBenchResult({
    ...common,
    figure: `bulk of ${BULK} documents`,
    unit: 'ms',
    pairs: bulkMs.plain.map((ms, i) => [ms, bulkMs.secured[i]]),
    higherIsBetter: false,
  });
  emitBenchResult({
    ...common,
    figure: 'search p50 (sequential, keep-alive)',
    unit: 'ms',
    pairs: rows.map((r) => [r['plain p50 ms'], r['secured p50 ms']]),
    higherIsBetter: false,
  });
  await Promise.all(Object.values(clients).map((c) => c.close()));
} finally {
  for (const node of nodes) await node.stop();
  rmSync(scratch, { recursive: true, force: true });
}
