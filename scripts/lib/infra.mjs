// Brings up the real infrastructure a stack needs, on loopback, with data under the stack's
// data folder: through `docker compose` when a Docker engine answers, otherwise as local
// processes from Debian's packages (installed when missing, if we are root).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { SERVICE_NAMES } from '../../manifest.ts';
import { ADMIN_LOGINS, allPorts, serviceLogin } from './stack.ts';
import { natsAuthorizationBlock } from './nats-auth.ts';
import { ensureFerretdbBinary, startFerretdb } from './ferretdb.mjs';
import { ensureOpenSearchJars, pidFileOf, startOpenSearch, stopOpenSearch } from './opensearch.mjs';
import { composeStoreName } from './compose.ts';
import { ROOT, portOpen, run, tryRun, waitFor } from './proc.ts';

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
 * A PostgreSQL cluster of the stack: a service's own store, or the one FerretDB keeps messaging's
 * documents in. One cluster per owner, not one database each in a shared one, so that no store
 * is shared between services. `login` is the one role that owns the one database besides the admin.
 */
function postgresCluster(s, owner, { backend = false } = {}) {
  const endpoint = s.stores[owner];
  return backend
    ? { label: `postgres (${owner}'s FerretDB)`, dir: join(owner, 'ferretdb-postgres'), port: endpoint.backendPort, login: ADMIN_LOGINS.ferretdbBackend }
    : { label: `postgres (${owner})`, dir: join(owner, 'postgres'), port: endpoint.port, login: serviceLogin(owner) };
}

/** Every PostgreSQL cluster the stack has. */
function postgresClusters(s) {
  return SERVICE_NAMES.flatMap((service) => {
    const kind = s.stores[service].spec.kind;
    if (kind === 'postgres') return [postgresCluster(s, service)];
    if (kind === 'mongodb') return [postgresCluster(s, service, { backend: true })];
    return [];
  });
}

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

/** A service's own PostgreSQL cluster. */
export const ensurePostgres = (s, service) => ensurePostgresCluster(s, postgresCluster(s, service));

async function ensurePostgresCluster(s, cluster) {
  const { port, label } = cluster;
  const bootstrap = (dir) => psqlAsAdmin(dir, port, ownDatabaseSql(cluster.login));
  if (await portOpen(port)) {
    say(`${label} already up on ${port}; reusing it`);
    await bootstrap(await postgresDataDir(s, cluster.dir));
    return { started: false, stop: async () => {} };
  }
  let bin = postgresBinDir();
  if (!bin) {
    await ensureDebianPackages(['postgresql'], `PostgreSQL (${label})`);
    bin = postgresBinDir();
  }
  const dir = await postgresDataDir(s, cluster.dir);
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    say(`initialising the ${label} cluster in ${dir}`);
    const pwfile = join(dir, '..', `.pgpass-init-${process.pid}`);
    writeFileSync(pwfile, ADMIN_LOGINS.postgres.password, { mode: 0o644 });
    try {
      const [c, a] = asPostgres(join(bin, 'initdb'), [
        '-D', dir, '-U', ADMIN_LOGINS.postgres.user, '--pwfile', pwfile,
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
  await bootstrap(dir);
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
  for (const cluster of postgresClusters(s)) {
    const dir = await postgresDataDir(s, cluster.dir);
    if (!existsSync(join(dir, 'postmaster.pid'))) continue;
    const [c, a] = asPostgres(join(bin, 'pg_ctl'), ['-D', dir, '-m', 'fast', '-w', 'stop']);
    await tryRun(c, a);
  }
}

/** Runs SQL as the cluster's admin (over its socket when we can reach it). */
async function psqlAsAdmin(dir, port, sql) {
  const env = { PGPASSWORD: ADMIN_LOGINS.postgres.password };
  const args = ['-h', existsSync(join(dir, `.s.PGSQL.${port}`)) ? dir : '127.0.0.1', '-p', String(port),
    '-U', ADMIN_LOGINS.postgres.user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q'];
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
 * A service's Redis, with the append-only file on (cart keeps saga state there) and ACLs: the
 * default user is off; the owner's user may touch only keys (and channels) under its prefix; an
 * admin user exists for operators.
 */
export function redisConfig({ port, dir, service }) {
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
${redisAclLines(service)}`;
}

/** The ACL part, the same in docker-compose's redis.conf (generated from it). */
export function redisAclLines(service) {
  const admin = ADMIN_LOGINS.redis;
  const owner = serviceLogin(service);
  return `user default off
user ${admin.user} on >${admin.password} ~* &* +@all
user ${owner.user} on >${owner.password} ~${owner.keyPrefix}* &${owner.keyPrefix}* +@all -@admin -@dangerous +info +ping
`;
}

/** Where a service's store keeps its files on the stack: `.data/<stack>/<service>/<engine>`. */
export const storeDataDir = (s, service, engine = s.stores[service].spec.kind) => join(s.dataDir, service, engine);

export async function ensureRedis(s, service) {
  const { port } = s.stores[service];
  const dir = storeDataDir(s, service);
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'redis.conf');
  writeFileSync(conf, redisConfig({ port, dir, service }));
  if (await portOpen(port)) {
    say(`redis (${service}) already up on ${port}; reusing it`);
    return { started: false, stop: async () => {} };
  }
  const found = await tryRun('sh', ['-c', 'command -v redis-server']);
  let binary = found.code === 0 ? found.output.trim() : '';
  if (!binary) {
    await ensureDebianPackages(['redis-server'], `Redis (${service}'s store)`);
    binary = (await run('sh', ['-c', 'command -v redis-server'], { quiet: true })).trim();
  }
  say(`starting redis (${service}) on 127.0.0.1:${port} (AOF on, ACL users)`);
  const child = spawn(binary, [conf], { detached: true, stdio: 'ignore' });
  child.unref();
  await waitFor(`redis on ${port}`, () => portOpen(port), { timeoutMs: 15_000 });
  return { started: true, stop: () => stopByPidFile(join(dir, 'redis.pid')) };
}

// ---------------------------------------------------------------- opensearch

/** A service's OpenSearch node from Maven Central jars (no security plugin: loopback only). */
export async function ensureOpenSearch(s, service) {
  const { port } = s.stores[service];
  const dataDir = storeDataDir(s, service);
  if (await portOpen(port)) {
    say(`opensearch (${service}) already up on ${port}; reusing it`);
    return { started: false, stop: async () => {} };
  }
  const jarsDir = await ensureOpenSearchJars({ log: (m) => say(`opensearch: ${m}`) });
  await startOpenSearch({ jarsDir, httpPort: port, dataDir, logFile: join(dataDir, 'opensearch.log'), heapMb: 512, log: (m) => say(`opensearch: ${m}`) });
  return { started: true, stop: () => stopOpenSearch(dataDir) };
}

// ---------------------------------------------------------------- mongodb wire (FerretDB)

/**
 * FerretDB 1.x (MongoDB wire protocol) on its own PostgreSQL cluster, with SCRAM authentication on:
 * a root user for operators and the owner's own user. FerretDB 1.x authenticates but does not
 * authorise (roles must be empty), so the separation here is that no other service has a user at
 * all. PostgreSQL rather than SQLite underneath: FerretDB pushes equality filters down to it, so
 * PostgreSQL filters in C instead of FerretDB decoding every document (measured: listing one user's
 * conversations among 4,950 took 505 ms on SQLite, 22 ms here), and the patched `_id` lookup is a
 * btree index scan on both.
 */
export async function ensureMongo(s, service) {
  const { port, backendPort } = s.stores[service];
  const dataDir = storeDataDir(s, service, 'ferretdb');
  let started = false;
  let stop = async () => {};
  if (await portOpen(port)) {
    say(`mongodb-wire server (${service}) already up on ${port}; reusing it`);
  } else {
    const [binary, backend] = await Promise.all([
      ensureFerretdbBinary({ log: (m) => say(`ferretdb: ${m}`) }),
      ensurePostgresCluster(s, postgresCluster(s, service, { backend: true })),
    ]);
    const { mongodb: admin, ferretdbBackend: pg } = ADMIN_LOGINS;
    say(`starting FerretDB (${service}) on 127.0.0.1:${port} (PostgreSQL backend on ${backendPort})`);
    try {
      const server = await startFerretdb({
        binary,
        port,
        dataDir,
        logFile: join(dataDir, 'ferretdb.log'),
        extraArgs: [
          '--handler=postgresql',
          `--postgresql-url=postgres://${pg.user}:${pg.password}@127.0.0.1:${backendPort}/${pg.database}`,
          // --setup-* only acts on the first start (when the admin database does not exist yet).
          '--test-enable-new-auth', '--setup-database=admin', `--setup-username=${admin.user}`, `--setup-password=${admin.password}`,
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
  await bootstrapMongoUser(s, service);
  return { started, stop };
}

/** The MongoDB client an operator uses on a service's store (admin login). */
export async function mongoAdminClient(s, service) {
  const { MongoClient } = await import('mongodb');
  const admin = ADMIN_LOGINS.mongodb;
  return new MongoClient(`mongodb://${admin.user}:${admin.password}@127.0.0.1:${s.stores[service].port}/admin?authSource=admin`, {
    serverSelectionTimeoutMS: 5_000,
  });
}

/** The owner's user in its own database (idempotent). */
async function bootstrapMongoUser(s, service) {
  const owner = serviceLogin(service);
  const client = await mongoAdminClient(s, service);
  try {
    await client.connect();
    const db = client.db(owner.database);
    const existing = await db.command({ usersInfo: owner.user }).catch(() => null);
    if (existing?.users?.length) return;
    try {
      await db.command({ createUser: owner.user, pwd: owner.password, roles: [] });
    } catch (error) {
      if (!/already exists/i.test(error.message)) throw error;
    }
  } finally {
    await client.close();
  }
}

// ---------------------------------------------------------------- clickhouse

/** In-process ClickHouse (chdb) lives inside its owner: nothing to start, only its data folder. */
export async function ensureInProcessClickhouse(s, service) {
  mkdirSync(storeDataDir(s, service), { recursive: true });
  return { started: false, stop: async () => {} };
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
    const ports = allPorts(s).map(String);
    const reserved = new Set([...(current ? current.split(',') : []), ...ports]);
    if (reserved.size !== (current ? current.split(',').length : 0)) writeFileSync(file, [...reserved].join(','));
  } catch (error) {
    say(`could not reserve the stack's ports from the ephemeral range (${error.message}); a start may rarely fail with "address in use"`);
  }
}

/** How a store of each kind is brought up on a local stack, for the service that owns it. */
const ENSURE_STORE = {
  postgres: ensurePostgres,
  redis: ensureRedis,
  opensearch: ensureOpenSearch,
  mongodb: ensureMongo,
  clickhouse: ensureInProcessClickhouse,
};

/** Stops every store process of the stack that runs (`npm run infra:down`), by their pid files. */
export async function stopStack(s) {
  const pidFiles = [join(s.dataDir, 'nats', 'nats.pid')];
  for (const service of SERVICE_NAMES) {
    const kind = s.stores[service].spec.kind;
    if (kind === 'redis') pidFiles.push(join(storeDataDir(s, service), 'redis.pid'));
    if (kind === 'opensearch') pidFiles.push(pidFileOf(storeDataDir(s, service)));
    if (kind === 'mongodb') pidFiles.push(join(storeDataDir(s, service, 'ferretdb'), 'ferretdb.pid'));
  }
  for (const pidFile of pidFiles) if (existsSync(pidFile)) await stopByPidFile(pidFile);
  await stopPostgres(s);
}

/** Everything the stack needs; returns a function that stops what this call started. */
export async function provision(s) {
  mkdirSync(s.dataDir, { recursive: true });
  reserveStackPorts(s);
  const keys = ensureJwtKeys(s);
  if (s.name === 'dev' && (await dockerEngineAnswers())) {
    await composeUp(['nats', ...SERVICE_NAMES.map((service) => composeStoreName(service))]);
    return { keys, stop: async () => {}, docker: true };
  }
  // The stores start side by side: a warm start then takes as long as the slowest (OpenSearch).
  const stores = SERVICE_NAMES.map((service) => ENSURE_STORE[s.stores[service].spec.kind](s, service));
  const results = await Promise.allSettled([ensureNats(s), ...stores]);
  const parts = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) {
    for (const p of parts) if (p.started) await p.stop();
    throw new Error(failed.map((f) => (process.env.POLYSTORE_DEBUG ? f.reason?.stack : f.reason?.message) ?? String(f.reason)).join('\n'));
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
