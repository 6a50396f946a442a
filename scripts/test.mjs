#!/usr/bin/env node
// `npm test [unit|integration|e2e] [-- jest args]`: provisions the test stack (its own ports and
// data, separate from `npm start`'s), builds, runs Jest, and stops what it started.
import { join } from 'node:path';
import { build } from './build.mjs';
import { provision, natsServerBinary } from './lib/infra.mjs';
import { SERVICE_NAMES } from '../manifest.ts';
import { mongoAdminClient } from './lib/infra.mjs';
import { ADMIN_LOGINS, appEnv, natsLogin, opsNatsOptions, serviceLogin, stack } from './lib/stack.ts';
import { ROOT, run } from './lib/proc.ts';

const args = process.argv.slice(2);
const kinds = ['unit', 'integration', 'e2e', 'generator'];
const selected = args.filter((a) => kinds.includes(a));
const jestArgs = args.filter((a) => !kinds.includes(a));
// The generator's test runs a stack of its own (in its scratch copy); unit tests need none.
const needsInfra = selected.length === 0 || selected.some((k) => k === 'integration' || k === 'e2e');

const s = stack('test');
let infra = null;
let code = 1;
try {
  if (selected.length === 0) {
    console.log('lint: architecture boundaries and correctness rules');
    await run('npx', ['eslint', '.'], {});
    console.log('build (generates the Prisma client the typecheck needs)');
    await build({ quiet: true });
    // Jest transpiles without type-checking, so the types of the tests are checked here.
    console.log('typecheck: apps, libs and tests');
    await run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], {});
    console.log('typecheck: manifest and scripts');
    await run('npx', ['tsc', '-p', 'tsconfig.scripts.json'], {});
  }
  let env = {};
  if (needsInfra) {
    infra = await provision(s);
    await resetTestStreams(s);
    for (const service of SERVICE_NAMES) await resetTestStore(s, service);
    await build({ quiet: true });
    const envs = appEnv(s, infra.keys);
    const ops = natsLogin('ops');
    // Every app's variables carry its own prefix, so the test process can hold them all.
    env = {
      ...Object.assign({}, ...Object.values(envs)),
      // Every service's store login, for ownership tests ("A's login is refused on B's store").
      POLYSTORE_SERVICE_CREDENTIALS: JSON.stringify(SERVICE_NAMES.map((service) => ({ service, ...serviceLogin(service) }))),
      // The admin URL of each PostgreSQL service's cluster (users' migration test diffs in a shadow database there).
      POLYSTORE_POSTGRES_ADMIN_URLS: JSON.stringify(
        Object.fromEntries(SERVICE_NAMES.filter((svc) => s.stores[svc].spec.kind === 'postgres').map((svc) => [svc, postgresAdminUrl(s, svc)])),
      ),
      USERS_SCRYPT_N: String(2 ** 14),
      POLYSTORE_STACK: 'test',
      POLYSTORE_NATS_SERVER_BIN: await natsServerBinary(),
      POLYSTORE_NATS_OPS_USER: ops.user,
      POLYSTORE_NATS_OPS_PASSWORD: ops.password,
      POLYSTORE_TEST_DATA_DIR: s.dataDir,
    };
  }
  const projects = (selected.length ? selected : kinds).flatMap((k) => ['--selectProjects', k]);
  // Jest's own arguments first: --selectProjects takes every word after it as a project name.
  await run(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', ...jestArgs, ...projects], {
    env: { ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings`.trim() },
  });
  code = 0;
} catch (error) {
  console.error(process.env.POLYSTORE_DEBUG ? error.stack : error.message.split('\n')[0]);
} finally {
  await infra?.stop();
}
process.exit(code);

function postgresAdminUrl(st, service) {
  const admin = ADMIN_LOGINS.postgres;
  return `postgresql://${admin.user}:${admin.password}@127.0.0.1:${st.stores[service].port}/postgres`;
}

/**
 * Every run starts from empty stores (the test stack holds nothing worth keeping): a service's
 * PostgreSQL database is recreated, its OpenSearch indices and MongoDB collections dropped.
 * Redis keys and in-process ClickHouse data are the tests' own (private prefixes, temp folders).
 */
async function resetTestStore(st, service) {
  const { kind } = st.stores[service].spec;
  if (kind === 'postgres') {
    const { user, database } = serviceLogin(service);
    await run('psql', [postgresAdminUrl(st, service), '-v', 'ON_ERROR_STOP=1', '-q', '-c', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, '-c', `CREATE DATABASE ${database} OWNER ${user}`, '-c', `REVOKE ALL ON DATABASE ${database} FROM PUBLIC`], { quiet: true });
  } else if (kind === 'opensearch') {
    // The node is the service's own: every index but the engine's hidden ones.
    const res = await fetch(`http://127.0.0.1:${st.stores[service].port}/*,-.*?expand_wildcards=all`, { method: 'DELETE' });
    if (!res.ok && res.status !== 404) throw new Error(`could not reset ${service}'s OpenSearch indices: ${res.status} ${await res.text()}`);
  } else if (kind === 'mongodb') {
    // A benchmark may have left a million messages there.
    const client = await mongoAdminClient(st, service);
    try {
      await client.connect();
      const db = client.db(serviceLogin(service).database);
      for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) await db.dropCollection(name);
    } finally {
      await client.close();
    }
  }
}

/** ...and from empty JetStream streams and consumers. */
async function resetTestStreams(st) {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect(opsNatsOptions(st));
  try {
    const jsm = await jetstreamManager(nc);
    for await (const info of jsm.streams.list()) await jsm.streams.delete(info.config.name);
  } finally {
    await nc.close();
  }
}
