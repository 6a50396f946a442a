#!/usr/bin/env node
// `npm test [unit|integration|e2e] [-- jest args]`: provisions the test stack (its own ports and
// data, separate from `npm start`'s), builds, runs Jest, and stops what it started.
import { join } from 'node:path';
import { build } from './build.mjs';
import { provision, natsServerBinary } from './lib/infra.mjs';
import { appEnv, CREDENTIALS, opsNatsOptions, stack } from './lib/stack.mjs';
import { ROOT, run } from './lib/proc.mjs';

const args = process.argv.slice(2);
const kinds = ['unit', 'integration', 'e2e'];
const selected = args.filter((a) => kinds.includes(a));
const jestArgs = args.filter((a) => !kinds.includes(a));
const needsInfra = selected.length === 0 || selected.some((k) => k !== 'unit');

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
  }
  let env = {};
  if (needsInfra) {
    infra = await provision(s);
    await resetTestDatabase(s);
    await resetTestStreams(s);
    await resetTestIndices(s);
    await resetTestMessaging(s);
    await build({ quiet: true });
    const envs = appEnv(s, infra.keys);
    // Every app's variables carry its own prefix, so the test process can hold them all.
    const { users, cart, messaging } = CREDENTIALS;
    env = {
      ...Object.assign({}, ...Object.values(envs)),
      POLYSTORE_SERVICE_CREDENTIALS: JSON.stringify([
        { service: 'users', user: users.user, password: users.password },
        { service: 'cart', user: cart.user, password: cart.password },
        { service: 'messaging', user: messaging.user, password: messaging.password },
      ]),
      USERS_SCRYPT_N: String(2 ** 14),
      POLYSTORE_STACK: 'test',
      POLYSTORE_NATS_SERVER_BIN: await natsServerBinary(),
      POLYSTORE_NATS_OPS_USER: CREDENTIALS.nats.ops.user,
      POLYSTORE_NATS_OPS_PASSWORD: CREDENTIALS.nats.ops.password,
      POLYSTORE_TEST_DATA_DIR: s.dataDir,
      POSTGRES_ADMIN_URL: `postgresql://${CREDENTIALS.postgresAdmin.user}:${CREDENTIALS.postgresAdmin.password}@127.0.0.1:${s.ports.postgres}/postgres`,
    };
  }
  const projects = (selected.length ? selected : kinds).flatMap((k) => ['--selectProjects', k]);
  // Jest's own arguments first: --selectProjects takes every word after it as a project name.
  await run(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', ...jestArgs, ...projects], {
    env: { ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings`.trim() },
  });
  code = 0;
} catch (error) {
  console.error(error.message.split('\n')[0]);
} finally {
  await infra?.stop();
}
process.exit(code);

/** Every run starts from an empty users database (the test stack holds nothing worth keeping). */
async function resetTestDatabase(st) {
  const u = CREDENTIALS.users;
  const url = `postgresql://${CREDENTIALS.postgresAdmin.user}:${CREDENTIALS.postgresAdmin.password}@127.0.0.1:${st.ports.postgres}/postgres`;
  await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `DROP DATABASE IF EXISTS ${u.database} WITH (FORCE)`, '-c', `CREATE DATABASE ${u.database} OWNER ${u.user}`, '-c', `REVOKE ALL ON DATABASE ${u.database} FROM PUBLIC`], { quiet: true });
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

/** ...and without products' indices (they are rebuilt from the current mappings). */
async function resetTestIndices(st) {
  const res = await fetch(`http://127.0.0.1:${st.ports.opensearch}/products-*?expand_wildcards=all`, { method: 'DELETE' });
  if (!res.ok && res.status !== 404) throw new Error(`could not reset the test OpenSearch indices: ${res.status} ${await res.text()}`);
}

/** ...and without messaging's collections (a benchmark may have left a million messages there). */
async function resetTestMessaging(st) {
  const { MongoClient } = await import('mongodb');
  const { mongoAdmin, messaging } = CREDENTIALS;
  const client = new MongoClient(`mongodb://${mongoAdmin.user}:${mongoAdmin.password}@127.0.0.1:${st.ports.mongo}/admin?authSource=admin`, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    const db = client.db(messaging.database);
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) await db.dropCollection(name);
  } finally {
    await client.close();
  }
}
