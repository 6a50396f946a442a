// Brings up the real infrastructure a stack needs, on loopback, with data under the stack's
// data folder: through `docker compose` when a Docker engine answers, otherwise as local
// processes from Debian's packages (installed when missing, if we are root).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { CREDENTIALS } from './stack.mjs';
import { natsAuthorizationBlock } from './nats-auth.mjs';
import { ensureFerretdbBinary, startFerretdb } from './ferretdb.mjs';
import { ensureOpenSearchJars, startOpenSearch, stopOpenSearch } from './opensearch.mjs';
import { ROOT, portOpen, run, tryRun, waitFor } from './proc.mjs';

const isRoot = process.getuid?.() === 0;
const say = (msg) => console.log(`infra: ${msg}`);

// ---------------------------------------------------------------- packages

let aptUpdated = false;
let aptQueue = Promise.resolve();
/** Installs Debian packages when missing (as root); otherwise says exactly what to install. */
export function ensureDebianPackages(packages, why) {
  // Stores start in parallel, but dpkg takes one install at a time.
  const next = aptQueue.then(() => installDebianPackages(packages, why));
  aptQueue = next.catch(() => {});
  return next;
}

async function installDebianPackages(packages, why) {
  const missing = [];
  for (const pkg of packages) {
    const { output } = await tryRun('dpkg-query', ['-W', '-f=${Status}', pkg]);
    if (!output.includes('install ok installed')) missing.push(pkg);
  }
  if (missing.length === 0) return;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`${why} needs the Debian package(s) ${missing.join(' ')}: run  sudo apt-get install -y ${missing.join(' ')}`);
  }
  say(`installing ${missing.join(' ')} (apt-get; first run only)`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    await run('apt-get', ['update', '-qq'], { quiet: true, env });
    aptUpdated = true;
  }
  // policy-rc.d stops the packages from starting their own system-wide services.
  const policy = '/usr/sbin/policy-rc.d';
  const hadPolicy = existsSync(policy);
  if (!hadPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { quiet: true, env });
  } finally {
    if (!hadPolicy) rmSync(policy, { force: true });
  }
}

// ---------------------------------------------------------------- docker

export async function dockerEngineAnswers() {
  if (process.env.POLYSTORE_NO_DOCKER === '1') return false;
  const { code } = await tryRun('docker', ['info', '--format', '{{.ServerVersion}}'], { env: {} });
  if (code !== 0) return false;
  const compose = await tryRun('docker', ['compose', 'version']);
  return compose.code === 0;
}

export async function composeUp(services) {
  say(`docker compose up ${services.join(' ')}`);
  await run('docker', ['compose', 'up', '-d', '--wait', ...services], { quiet: false });
}

// ---------------------------------------------------------------- postgres

function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : null;
}

/** As root, PostgreSQL runs as the `postgres` user, which must be able to reach its data folder. */
function asPostgres(cmd, args) {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

async function postgresCanReach(dir) {
  if (!isRoot) return true;
  const { code } = await tryRun('runuser', ['-u', 'postgres', '--', 'test', '-w', dir]);
  return code === 0;
}

/**
 * The stack's PostgreSQL clusters: users' own, and the one FerretDB keeps messaging's documents in.
 * Two clusters, not two databases in one, so that no store is shared between services.
 */
const POSTGRES_CLUSTERS = {
  users: { dirName: 'postgres', port: (s) => s.ports.postgres, bootstrap: (s, dir) => bootstrapPostgres(s, dir) },
  ferretdb: { dirName: 'ferretdb-postgres', port: (s) => s.ports.ferretdbPostgres, bootstrap: (s, dir) => bootstrapFerretdbPostgres(s, dir) },
};

/** Where a cluster lives: the stack's data folder, or a /var/tmp folder when `postgres` cannot reach it. */
async function postgresDataDir(s, dirName) {
  const preferred = join(s.dataDir, dirName);
  mkdirSync(preferred, { recursive: true });
  if (isRoot) await tryRun('chown', ['postgres:postgres', preferred]);
  if (await postgresCanReach(preferred)) return preferred;
  const key = createHash('sha256').update(preferred).digest('hex').slice(0, 12);
  const fallback = `/var/tmp/polystore-${key}/${dirName}`;
  mkdirSync(fallback, { recursive: true });
  chmodSync(`/var/tmp/polystore-${key}`, 0o755);
  await tryRun('chown', ['postgres:postgres', fallback]);
  say(`the postgres user cannot reach ${preferred}; using ${fallback}`);
  return fallback;
}

/** users' PostgreSQL cluster. */
export const ensurePostgres = (s) => ensurePostgresCluster(s, 'users');

async function ensurePostgresCluster(s, clusterName) {
  const cluster = POSTGRES_CLUSTERS[clusterName];
  const port = cluster.port(s);
  const label = `postgres (${clusterName})`;
  if (await portOpen(port)) {
    say(`${label} already up on ${port}; reusing it`);
    await cluster.bootstrap(s, await postgresDataDir(s, cluster.dirName));
    return { started: false, stop: async () => {} };
  }
  let bin = postgresBinDir();
  if (!bin) {
    await ensureDebianPackages(['postgresql'], 'PostgreSQL (the users service store, and FerretDB\'s backend)');
    bin = postgresBinDir();
  }
  const dir = await postgresDataDir(s, cluster.dirName);
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    say(`initialising the ${label} cluster in ${dir}`);
    const pwfile = join(dir, '..', `.pgpass-init-${clusterName}-${process.pid}`);
    writeFileSync(pwfile, CREDENTIALS.postgresAdmin.password, { mode: 0o644 });
    try {
      const [c, a] = asPostgres(join(bin, 'initdb'), [
        '-D', dir, '-U', CREDENTIALS.postgresAdmin.user, '--pwfile', pwfile,
        '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C',
      ]);
      await run(c, a, { quiet: true });
    } finally {
      rmSync(pwfile, { force: true });
    }
    const tuning = s.name === 'test'
      // Throwaway test data: trade durability for speed.
      ? "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
      : '';
    writeFileSync(
      join(dir, 'postgresql.auto.conf'),
      `listen_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${dir}'\nmax_connections = 200\nshared_buffers = 128MB\n${tuning}`,
    );
    if (isRoot) await run('chown', ['postgres:postgres', join(dir, 'postgresql.auto.conf')]);
  }
  say(`starting ${label} on 127.0.0.1:${port}`);
  const [c, a] = asPostgres(join(bin, 'pg_ctl'), ['-D', dir, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  await run(c, a, { quiet: true });
  await cluster.bootstrap(s, dir);
  return {
    started: true,
    stop: async () => {
      const [c2, a2] = asPostgres(join(bin, 'pg_ctl'), ['-D', dir, '-m', 'fast', '-w', 'stop']);
      await tryRun(c2, a2);
    },
  };
}

/** Stops the stack's PostgreSQL clusters that run (wherever postgresDataDir put them). */
export async function stopPostgres(s) {
  const bin = postgresBinDir();
  if (!bin) return;
  for (const cluster of Object.values(POSTGRES_CLUSTERS)) {
    const dir = await postgresDataDir(s, cluster.dirName);
    if (!existsSync(join(dir, 'postmaster.pid'))) continue;
    const [c, a] = asPostgres(join(bin, 'pg_ctl'), ['-D', dir, '-m', 'fast', '-w', 'stop']);
    await tryRun(c, a);
  }
}

/** Runs SQL as the cluster's admin (over its socket when we can reach it). */
async function psqlAsAdmin(dir, port, sql) {
  const env = { PGPASSWORD: CREDENTIALS.postgresAdmin.password };
  const args = ['-h', existsSync(join(dir, `.s.PGSQL.${port}`)) ? dir : '127.0.0.1', '-p', String(port),
    '-U', CREDENTIALS.postgresAdmin.user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q'];
  await run('psql', args, { quiet: true, env, input: sql });
}

/** A role owning one database that only it may connect to (idempotent). */
function ownDatabaseSql({ user, password, database }) {
  return `
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}') THEN
    CREATE ROLE ${user} LOGIN PASSWORD '${password}';
  END IF;
END $$;
SELECT 'CREATE DATABASE ${database} OWNER ${user}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${database}')\\gexec
REVOKE ALL ON DATABASE ${database} FROM PUBLIC;
-- Service roles reach only their own database: not the maintenance ones either.
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${user};
`;
}

/** FerretDB's cluster: its own role and database; FerretDB creates its schemas and tables itself. */
async function bootstrapFerretdbPostgres(s, dir) {
  await psqlAsAdmin(dir, s.ports.ferretdbPostgres, ownDatabaseSql(CREDENTIALS.ferretdbBackend));
}

/** users' cluster: users' role owning only its own database. */
async function bootstrapPostgres(s, dir) {
  await psqlAsAdmin(dir, s.ports.postgres, ownDatabaseSql(CREDENTIALS.users));
}

// ---------------------------------------------------------------- nats

export async function natsServerBinary() {
  const { code, output } = await tryRun('sh', ['-c', 'command -v nats-server']);
  if (code === 0 && output.trim()) return output.trim();
  await ensureDebianPackages(['nats-server'], 'NATS with JetStream (the message bus)');
  return (await run('sh', ['-c', 'command -v nats-server'], { quiet: true })).trim();
}

export function natsConfig({ port, monitorPort, storeDir, serverName }) {
  return `server_name: ${serverName}
listen: 127.0.0.1:${port}
http: 127.0.0.1:${monitorPort}
max_payload: 1MB
jetstream {
  store_dir: "${storeDir}"
  max_memory_store: 256MB
  max_file_store: 4GB
}
${natsAuthorizationBlock()}`;
}

/** Starts nats-server detached, writing its pid file; resolves when JetStream is ready. */
export async function startNatsServer({ binary, port, monitorPort, dir, serverName }) {
  mkdirSync(join(dir, 'jetstream'), { recursive: true });
  const conf = join(dir, 'nats.conf');
  writeFileSync(conf, natsConfig({ port, monitorPort, storeDir: join(dir, 'jetstream'), serverName }));
  const log = openSync(join(dir, 'nats.log'), 'a');
  const child = spawn(binary, ['-c', conf, '-P', join(dir, 'nats.pid')], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  await waitFor(`nats-server on ${port}`, async () => {
    const res = await fetch(`http://127.0.0.1:${monitorPort}/healthz?js-enabled-only=true`).catch(() => null);
    return res?.ok;
  }, { timeoutMs: 20_000 });
  return child.pid;
}

export async function ensureNats(s) {
  const dir = join(s.dataDir, 'nats');
  if (await portOpen(s.ports.nats)) {
    const conf = join(dir, 'nats.conf');
    const wanted = natsConfig({ port: s.ports.nats, monitorPort: s.ports.natsMonitor, storeDir: join(dir, 'jetstream'), serverName: `polystore-${s.name}` });
    if (existsSync(conf) && readFileSync(conf, 'utf8') !== wanted) {
      // Same server, new permissions: rewrite the file and ask nats-server to reload it.
      writeFileSync(conf, wanted);
      const pid = Number(readFileSync(join(dir, 'nats.pid'), 'utf8').trim());
      try { process.kill(pid, 'SIGHUP'); say('nats config changed; reloaded'); } catch { /* not ours */ }
    }
    say(`nats already up on ${s.ports.nats}; reusing it`);
    return { started: false, stop: async () => {} };
  }
  const binary = await natsServerBinary();
  say(`starting nats-server (JetStream) on 127.0.0.1:${s.ports.nats}`);
  await startNatsServer({ binary, port: s.ports.nats, monitorPort: s.ports.natsMonitor, dir, serverName: `polystore-${s.name}` });
  return { started: true, stop: () => stopByPidFile(join(dir, 'nats.pid')) };
}

export async function stopByPidFile(pidFile) {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  await waitFor(`process ${pid} to stop`, () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }, { timeoutMs: 10_000 }).catch(() => process.kill(pid, 'SIGKILL'));
}

// ---------------------------------------------------------------- redis

/**
 * Redis with the append-only file on (the cart keeps saga state there) and ACLs: the default
 * user is off; cart's user may touch only keys (and channels) under its prefix; an admin user
 * exists for operators.
 */
export function redisConfig({ port, dir }) {
  return `bind 127.0.0.1
port ${port}
dir ${dir}
appendonly yes
appendfsync everysec
save ""
protected-mode yes
daemonize no
pidfile ${join(dir, 'redis.pid')}
logfile ${join(dir, 'redis.log')}
${redisAclLines()}`;
}

/** The ACL part, shared with docker/redis/redis.conf (a unit test keeps the two equal). */
export function redisAclLines() {
  const { cart, redisAdmin } = CREDENTIALS;
  return `user default off
user ${redisAdmin.user} on >${redisAdmin.password} ~* &* +@all
user ${cart.user} on >${cart.password} ~${cart.keyPrefix}* &${cart.keyPrefix}* +@all -@admin -@dangerous +info +ping
`;
}

export async function ensureRedis(s) {
  const dir = join(s.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'redis.conf');
  writeFileSync(conf, redisConfig({ port: s.ports.redis, dir }));
  if (await portOpen(s.ports.redis)) {
    say(`redis already up on ${s.ports.redis}; reusing it`);
    return { started: false, stop: async () => {} };
  }
  const found = await tryRun('sh', ['-c', 'command -v redis-server']);
  let binary = found.code === 0 ? found.output.trim() : '';
  if (!binary) {
    await ensureDebianPackages(['redis-server'], 'Redis (cart service store)');
    binary = (await run('sh', ['-c', 'command -v redis-server'], { quiet: true })).trim();
  }
  say(`starting redis on 127.0.0.1:${s.ports.redis} (AOF on, ACL users)`);
  const child = spawn(binary, [conf], { detached: true, stdio: 'ignore' });
  child.unref();
  await waitFor(`redis on ${s.ports.redis}`, () => portOpen(s.ports.redis), { timeoutMs: 15_000 });
  return { started: true, stop: () => stopByPidFile(join(dir, 'redis.pid')) };
}

// ---------------------------------------------------------------- opensearch

/** One OpenSearch node from Maven Central jars (no security plugin: loopback only). */
export async function ensureOpenSearch(s) {
  const port = s.ports.opensearch;
  const dataDir = join(s.dataDir, 'opensearch');
  if (await portOpen(port)) {
    say(`opensearch already up on ${port}; reusing it`);
    return { started: false, stop: async () => {} };
  }
  const jarsDir = await ensureOpenSearchJars({ log: (m) => say(`opensearch: ${m}`) });
  await startOpenSearch({ jarsDir, httpPort: port, dataDir, logFile: join(dataDir, 'opensearch.log'), heapMb: 512, log: (m) => say(`opensearch: ${m}`) });
  return { started: true, stop: () => stopOpenSearch(dataDir) };
}

// ---------------------------------------------------------------- mongodb wire (FerretDB)

/**
 * FerretDB 1.x (MongoDB wire protocol) on its own PostgreSQL cluster, with SCRAM authentication on:
 * a root user for operators and messaging's own user. FerretDB 1.x authenticates but does not
 * authorise (roles must be empty), so the separation here is that no other service has a user at
 * all. PostgreSQL rather than SQLite underneath: FerretDB pushes equality filters down to it, so
 * PostgreSQL filters in C instead of FerretDB decoding every document (measured: listing one user's
 * conversations among 4,950 took 505 ms on SQLite, 22 ms here), and the patched `_id` lookup is a
 * btree index scan on both.
 */
export async function ensureMongo(s) {
  const port = s.ports.mongo;
  const dataDir = join(s.dataDir, 'ferretdb');
  let started = false;
  let stop = async () => {};
  if (await portOpen(port)) {
    say(`mongodb-wire server already up on ${port}; reusing it`);
  } else {
    const [binary, backend] = await Promise.all([ensureFerretdbBinary({ log: (m) => say(`ferretdb: ${m}`) }), ensurePostgresCluster(s, 'ferretdb')]);
    const { mongoAdmin, ferretdbBackend: pg } = CREDENTIALS;
    say(`starting FerretDB on 127.0.0.1:${port} (PostgreSQL backend on ${s.ports.ferretdbPostgres})`);
    try {
      const server = await startFerretdb({
        binary,
        port,
        dataDir,
        logFile: join(dataDir, 'ferretdb.log'),
        extraArgs: [
          '--handler=postgresql',
          `--postgresql-url=postgres://${pg.user}:${pg.password}@127.0.0.1:${s.ports.ferretdbPostgres}/${pg.database}`,
          // --setup-* only acts on the first start (when the admin database does not exist yet).
          '--test-enable-new-auth', '--setup-database=admin', `--setup-username=${mongoAdmin.user}`, `--setup-password=${mongoAdmin.password}`,
        ],
      });
      stop = async () => {
        await server.stop();
        await backend.stop();
      };
    } catch (error) {
      await backend.stop();
      throw error;
    }
    started = true;
  }
  await bootstrapMongoUsers(s);
  return { started, stop };
}

/** messaging's user in its own database (idempotent). */
async function bootstrapMongoUsers(s) {
  const { MongoClient } = await import('mongodb');
  const { mongoAdmin, messaging } = CREDENTIALS;
  const client = new MongoClient(`mongodb://${mongoAdmin.user}:${mongoAdmin.password}@127.0.0.1:${s.ports.mongo}/admin?authSource=admin`, {
    serverSelectionTimeoutMS: 5_000,
  });
  try {
    await client.connect();
    const db = client.db(messaging.database);
    const existing = await db.command({ usersInfo: messaging.user }).catch(() => null);
    if (existing?.users?.length) return;
    try {
      await db.command({ createUser: messaging.user, pwd: messaging.password, roles: [] });
    } catch (error) {
      if (!/already exists/i.test(error.message)) throw error;
    }
  } finally {
    await client.close();
  }
}

// ---------------------------------------------------------------- keys

/** The ES256 key pair for access tokens: users signs with the private key, the gateway verifies with the public one. */
export function ensureJwtKeys(s) {
  const dir = s.keysDir ?? join(s.dataDir, 'keys');
  const privateKeyFile = join(dir, 'jwt-es256.key.pem');
  const publicKeyFile = join(dir, 'jwt-es256.pub.pem');
  if (!existsSync(privateKeyFile) || !existsSync(publicKeyFile)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    writeFileSync(privateKeyFile, privateKey, { mode: 0o600 });
    writeFileSync(publicKeyFile, publicKey, { mode: 0o644 });
  }
  return { privateKeyFile, publicKeyFile };
}

// ---------------------------------------------------------------- all of it

/**
 * The stack's ports (54222…59210) lie inside Linux's ephemeral port range (32768–60999), so an
 * outgoing connection — FerretDB's pool to its PostgreSQL, say — can be given one of them as its
 * local port just before the server meant to listen there binds it ("Address already in use",
 * seen with OpenSearch). Reserving them keeps the kernel from handing them out. Needs root;
 * best-effort otherwise (the reservation lasts until reboot and only affects automatic choices).
 */
function reserveStackPorts(s) {
  const file = '/proc/sys/net/ipv4/ip_local_reserved_ports';
  if (!isRoot || !existsSync(file)) return;
  try {
    const current = readFileSync(file, 'utf8').trim();
    const ports = Object.values(s.ports).map(String);
    const reserved = new Set([...(current ? current.split(',') : []), ...ports]);
    if (reserved.size !== (current ? current.split(',').length : 0)) writeFileSync(file, [...reserved].join(','));
  } catch (error) {
    say(`could not reserve the stack's ports from the ephemeral range (${error.message}); a start may rarely fail with "address in use"`);
  }
}

/** Everything the stack needs; returns a function that stops what this call started. */
export async function provision(s) {
  mkdirSync(s.dataDir, { recursive: true });
  reserveStackPorts(s);
  const keys = ensureJwtKeys(s);
  if (s.name === 'dev' && (await dockerEngineAnswers())) {
    await composeUp(['postgres', 'nats', 'redis', 'mongo', 'opensearch', 'clickhouse']);
    return { keys, stop: async () => {}, docker: true };
  }
  // The stores start side by side: a warm start then takes as long as the slowest (OpenSearch).
  const results = await Promise.allSettled([ensureNats(s), ensurePostgres(s), ensureRedis(s), ensureMongo(s), ensureOpenSearch(s)]);
  const parts = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) {
    for (const p of parts) if (p.started) await p.stop();
    throw new Error(failed.map((f) => f.reason?.message ?? String(f.reason)).join('\n'));
  }
  return {
    keys,
    docker: false,
    stop: async () => {
      await Promise.all(parts.filter((p) => p.started).map((p) => p.stop()));
    },
  };
}

export { ROOT };
