#!/usr/bin/env node
// `npm test [unit|integration|e2e|chaos] [-- jest args]`: provisions the test stack (its own ports and
// data, separate from `npm start`'s), builds, runs Jest, and stops what it started.
import { join } from 'node:path';
import { build } from './build.mjs';
import { provision, resetStack } from './lib/infra.ts';
import { SERVICE_NAMES } from '../manifest.ts';
import { natsServerBinary, provisionerOf } from './lib/stores/index.ts';
import { appEnv, natsCredentials, serviceCredentials, stack } from './lib/stack.ts';
import { ROOT, run } from './lib/proc.ts';
import { ensurePromtool } from './lib/promtool.ts';

const args = process.argv.slice(2);
const kinds = ['unit', 'integration', 'e2e', 'chaos', 'generator', 'helm'];
const selected = args.filter((a) => kinds.includes(a));
const jestArgs = args.filter((a) => !kinds.includes(a));
// The generator's test runs a stack of its own (in its scratch copy); unit tests need none.
const needsInfra = selected.length === 0 || selected.some((k) => k === 'integration' || k === 'e2e' || k === 'chaos');

const s = stack('test');
let infra = null;
/** The stores and NATS starting (mostly waiting on OpenSearch's JVM) while the checks below run. */
let provisioning = null;
let code = 1;
try {
  if (needsInfra) {
    provisioning = provision(s).then((started) => (infra = started));
    provisioning.catch(() => {}); // awaited below; a failure is reported there (or after a failed check)
  }
  if (selected.length === 0) {
    console.log('lint: architecture boundaries and correctness rules');
    await run('npx', ['eslint', '.'], {});
    console.log('format: prettier --check (npm run format rewrites)');
    await run('npx', ['prettier', '--check', '--log-level', 'warn', '.'], {});
    console.log('build (generates the Prisma client the typecheck needs)');
    await build({ quiet: true });
    // Jest transpiles without type-checking, so the types of the tests are checked here.
    console.log('typecheck: apps, libs and tests');
    await run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], {});
    console.log('typecheck: manifest and scripts');
    await run('npx', ['tsc', '-p', 'tsconfig.scripts.json'], {});
  }
  let env = {};
  // The alerting rules' tests (unit) and the outbox alert test (integration) run Prometheus' promtool,
  // built once from the Go module proxy into the cache outside the clone.
  if (selected.length === 0 || selected.some((k) => k === 'unit' || k === 'integration')) {
    env.POLYSTORE_PROMTOOL_BIN = await ensurePromtool({ log: (m) => console.log(`promtool: ${m}`) });
  }
  if (needsInfra) {
    await provisioning;
    // Every run starts from empty stores and streams: the test stack holds nothing worth keeping.
    await resetStack(s);
    await build({ quiet: true });
    const envs = appEnv(s, infra.keys);
    const ops = natsCredentials(s, 'ops');
    // Every app's variables carry its own prefix, so the test process can hold them all.
    env = {
      ...env,
      ...Object.assign({}, ...Object.values(envs)),
      // Every service's store login, for ownership tests ("A's login is refused on B's store").
      POLYSTORE_SERVICE_CREDENTIALS: JSON.stringify(SERVICE_NAMES.map((service) => ({ service, ...serviceCredentials(s, service) }))),
      // The admin URL of each PostgreSQL service's cluster (users' migration test diffs in a shadow database there).
      POLYSTORE_POSTGRES_ADMIN_URLS: JSON.stringify(
        Object.fromEntries(
          s.services.filter((svc) => s.stores[svc].spec.kind === 'postgres').map((svc) => [svc, provisionerOf(s, svc).connection(s, svc).adminUrl]),
        ),
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
  // Every failed store and the end of its log, not just the first line; POLYSTORE_DEBUG=1 adds stacks.
  console.error(process.env.POLYSTORE_DEBUG ? error.stack : error.message.split('\n').slice(0, 80).join('\n'));
} finally {
  // A check that failed while the stores were still starting: let them finish, then stop them.
  await provisioning?.catch(() => {});
  await infra?.stop();
}
process.exit(code);
