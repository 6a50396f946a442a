#!/usr/bin/env node
// `npm run bench:backup`: backup and restore times and sizes of every service's store and of the
// event streams, on seeded data, on the test stack (which it empties first; no app runs).
// Sizes (env): BENCH_USERS (100k), BENCH_PRODUCTS (100k), BENCH_CART_KEYS (100k),
// BENCH_ANALYTICS_EVENTS (1M), BENCH_MESSAGES (1M), BENCH_STREAM_EVENTS (1M).
// Yardstick, measured in the same run: copying each backup folder (`cp -a`), i.e. what the disk
// does with the same bytes; the ratio says how much of a backup's or restore's time is the engine.
// BENCH_RESULT lines (for `npm run bench`): backup and restore time against that copy, one pair per
// target (each target's copy timed right after its backup). --quick: a tenth of every size.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../build.mjs';
import { backup, restore } from '../lib/backup/index.ts';
import { provision, resetStack } from '../lib/infra.ts';
import { ROOT, execute, run } from '../lib/proc.ts';
import { appEnv, opsNatsOptions, stack, type ServiceName, type Stack } from '../lib/stack.ts';
import { provisionerOf } from '../lib/stores/index.ts';
import { emitBenchResult, isQuick } from './lib/result.ts';

const SCALE = isQuick() ? 0.1 : 1;
const size = (name: string, fallback: number) => Number(process.env[name] ?? Math.round(fallback * SCALE));
const USERS = size('BENCH_USERS', 100_000);
const PRODUCTS = size('BENCH_PRODUCTS', 100_000);
const CART_KEYS = size('BENCH_CART_KEYS', 100_000);
const ANALYTICS_EVENTS = size('BENCH_ANALYTICS_EVENTS', 1_000_000);
const MESSAGES = size('BENCH_MESSAGES', 1_000_000);
const STREAM_EVENTS = size('BENCH_STREAM_EVENTS', 1_000_000);

const say = (msg: string) => console.log(`bench:backup: ${msg}`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

function ownerUrl(s: Stack, service: ServiceName, scheme: string): string {
  const url = Object.values(provisionerOf(s, service).connection(s, service).ownerEnv).find((v) => v.startsWith(scheme));
  if (!url) throw new Error(`no ${scheme} URL for ${service}`);
  return url;
}
const servicesOfKind = (s: Stack, kind: string) => s.services.filter((service) => s.stores[service].spec.kind === kind);
const cli = (app: string, command: string) => join(ROOT, 'dist', 'apps', app, 'src', 'cli', `${command}.js`);

/** Seeds each store through its own owner's code or login; the sizes above. */
const SEEDS: Record<string, (s: Stack, env: ReturnType<typeof appEnv>, service: ServiceName) => Promise<void>> = {
  async postgres(s, env, service) {
    await run(process.execPath, [cli(service, 'migrate')], { quiet: true, env: env[service] });
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: ownerUrl(s, service, 'postgresql://') });
    await client.connect();
    try {
      await client.query(`INSERT INTO users (id, email, name, password_hash, updated_at)
        SELECT gen_random_uuid(), 'bench-' || i || '@example.com', 'Bench user ' || i, repeat('x', 100), now() FROM generate_series(1, ${USERS}) i`);
    } finally {
      await client.end();
    }
  },
  async opensearch(_s, env, service) {
    await run(process.execPath, [cli(service, 'seed'), String(PRODUCTS), '--no-events'], { quiet: true, env: env[service] });
  },
  async redis(s, _env, service) {
    const { Redis } = await import('ioredis');
    const redis = new Redis(ownerUrl(s, service, 'redis://'));
    try {
      for (let from = 0; from < CART_KEYS; from += 5000) {
        const script = `for i=${from},${Math.min(CART_KEYS, from + 5000) - 1} do redis.call('hset', '${service}:bench:'..i, 'lines', '[{"productId":"p'..i..'","quantity":2,"priceCents":1999}]', 'revision', i) end`;
        await redis.eval(script, 0);
      }
    } finally {
      redis.disconnect();
    }
  },
  async clickhouse(s, _env, service) {
    // The schema is the service's own migrations; the rows go into its raw events table, and its
    // materialized views fill the typed tables from them, as ingestion would.
    const code = `
      import { readFileSync, readdirSync } from 'node:fs';
      import { Session } from 'chdb';
      const [dataDir, migrations] = process.argv.slice(1);
      const session = new Session(dataDir);
      session.query('CREATE DATABASE IF NOT EXISTS ${service}');
      for (const file of readdirSync(migrations).filter((f) => f.endsWith('.sql')).sort())
        for (const statement of readFileSync(migrations + '/' + file, 'utf8').replace(/^--.*$/gm, '').split(/;\\s*$/m))
          if (statement.trim()) session.query(statement);
      session.query(\`INSERT INTO ${service}.events_raw (event_id, type, version, producer, occurred_at, user_id, data, stream, stream_seq)
        SELECT generateUUIDv7(number), 'ProductViewed', 1, 'gateway', now64(3) - number, generateUUIDv4(number),
               concat('{"productId":"', toString(generateUUIDv4(number % 1000)), '"}'), 'EVENTS_GATEWAY', number
        FROM numbers(${ANALYTICS_EVENTS})\`);
      session.close();`;
    const dataDir = Object.values(provisionerOf(s, service).connection(s, service).ownerEnv)[0];
    await run(process.execPath, ['--input-type=module', '-e', code, dataDir, join(ROOT, 'apps', service, 'src', 'store', 'migrations')], {
      quiet: true,
    });
  },
  async mongodb(_s, env, service) {
    const dir = mkdtempSync(join(_s.dataDir, 'bench-users-'));
    const users = join(dir, 'users.txt');
    writeFileSync(users, Array.from({ length: 100 }, () => randomUUID()).join('\n'));
    try {
      await run(process.execPath, [cli(service, 'seed'), String(MESSAGES), '--users', users, '--reset'], { quiet: true, env: env[service] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function seedStreams(s: Stack): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ ...opsNatsOptions(s), noAsyncTraces: true });
  try {
    await (await jetstreamManager(nc)).streams.add({ name: 'EVENTS_BENCH', subjects: ['events.bench.>'] });
    const js = jetstream(nc);
    const body = (i: number) =>
      JSON.stringify({
        id: randomUUID(),
        type: 'ProductViewed',
        version: 1,
        occurredAt: new Date().toISOString(),
        data: { productId: randomUUID(), i },
      });
    let pending: Promise<unknown>[] = [];
    for (let i = 0; i < STREAM_EVENTS; i++) {
      pending.push(js.publish('events.bench.ProductViewed.v1', body(i)));
      if (pending.length === 2000) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
  } finally {
    await nc.close();
  }
}

const s = stack('test');
const infra = await provision(s);
const out = mkdtempSync(join(s.dataDir, 'bench-backup-'));
try {
  await build({ quiet: true });
  await resetStack(s);
  for (const service of s.services) await provisionerOf(s, service).reset(s, service);
  const env = appEnv(s, infra.keys);
  for (const [kind, seedKind] of Object.entries(SEEDS)) {
    for (const service of servicesOfKind(s, kind)) {
      const started = Date.now();
      await seedKind(s, env, service);
      say(`seeded ${service} (${kind}) in ${seconds(Date.now() - started)} s`);
    }
  }
  let started = Date.now();
  await seedStreams(s);
  say(`published ${STREAM_EVENTS} events in ${seconds(Date.now() - started)} s`);

  const rows = [];
  const backupPairs: Array<[number, number]> = [];
  const restorePairs: Array<[number, number]> = [];
  started = Date.now();
  const manifests = await backup(s, 'all', join(out, 'backup'), () => {});
  say(`backup all: ${seconds(Date.now() - started)} s`);
  for (const manifest of manifests) {
    const copyStarted = Date.now();
    const copy = await execute('cp', ['-a', join(out, 'backup', manifest.target), join(out, `copy-${manifest.target}`)]);
    if (copy.code !== 0) throw new Error(copy.summary);
    const copyMs = Date.now() - copyStarted;
    rmSync(join(out, `copy-${manifest.target}`), { recursive: true, force: true });
    const restoreStarted = Date.now();
    await restore(s, manifest.target, join(out, 'backup'), { force: true, log: () => {} });
    const restoreMs = Date.now() - restoreStarted;
    backupPairs.push([Math.max(copyMs, 1), manifest.durationMs]);
    restorePairs.push([Math.max(copyMs, 1), restoreMs]);
    rows.push({
      target: manifest.target,
      store: manifest.store.engine,
      count: `${manifest.count} ${manifest.unit}`,
      'backup MB': (manifest.bytes / 1e6).toFixed(1),
      'backup s': seconds(manifest.durationMs),
      'restore s (incl. check)': seconds(restoreMs),
      'cp -a s (yardstick)': seconds(copyMs),
      'backup / cp': (manifest.durationMs / Math.max(copyMs, 1)).toFixed(0),
    });
  }
  console.table(rows);
  const common = { bench: 'backup', unit: 'ms', yardstick: '`cp -a` of the same backup folder', higherIsBetter: false };
  emitBenchResult({ ...common, figure: 'backup time, per target', subject: 'npm run backup (one target)', pairs: backupPairs });
  emitBenchResult({ ...common, figure: 'restore time (with its check), per target', subject: 'npm run restore (one target)', pairs: restorePairs });
} finally {
  rmSync(out, { recursive: true, force: true });
  await infra.stop();
}
