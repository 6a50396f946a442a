// PostgreSQL clusters of a local stack, from Debian's package: a service's own store, and the one
// FerretDB keeps messaging's documents in (mongodb.ts).
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { SERVICE_NAMES } from '../../../manifest.ts';
import { isRoot, portOpen, run, tryRun } from '../proc.ts';
import { adminLogin, serviceCredentials, serviceLogin, type ServiceName, type Stack } from '../stack.ts';
import { ensureDebianPackages } from './debian-packages.ts';
import { NOTHING_STARTED, localOwnerEnv, say, type Started, type StoreProvisioner } from './provisioner.ts';

/**
 * A PostgreSQL cluster of the stack: a service's own store, or the one FerretDB keeps messaging's
 * documents in. One cluster per owner, not one database each in a shared one, so that no store
 * is shared between services. `login` is the one role that owns the one database besides the admin.
 */
export interface PostgresCluster {
  label: string;
  /** Its folder under the stack's data folder (see postgresDataDir). */
  dirName: string;
  port: number;
  /** Read when needed (stopping a cluster needs no credentials: it may run from before they existed). */
  login: () => { user: string; password: string; database: string };
}

/** A service's own cluster. */
export function ownCluster(s: Stack, service: ServiceName): PostgresCluster {
  return {
    label: `postgres (${service})`,
    dirName: join(service, 'postgres'),
    port: s.stores[service].port,
    login: () => serviceCredentials(s, service),
  };
}

/** The cluster a service's FerretDB keeps its documents in (FerretDB's own login only). */
export function ferretdbBackendCluster(s: Stack, service: ServiceName): PostgresCluster {
  const port = s.stores[service].backendPort;
  if (port === undefined) throw new Error(`${service}'s store has no backend port in the manifest`);
  return {
    label: `postgres (${service}'s FerretDB)`,
    dirName: join(service, 'ferretdb-postgres'),
    port,
    login: () => adminLogin(s, 'ferretdbBackend'),
  };
}

export function postgresAdminUrl(s: Stack, port: number): string {
  const admin = adminLogin(s, 'postgres');
  return `postgresql://${admin.user}:${admin.password}@127.0.0.1:${port}/postgres`;
}

/** The newest Debian PostgreSQL's bin folder (pg_ctl, initdb, pg_dump, pg_restore), or null. */
export function postgresBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : null;
}

/** As root, PostgreSQL runs as the `postgres` user, which must be able to reach its data folder. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

async function postgresCanReach(dir: string): Promise<boolean> {
  if (!isRoot) return true;
  const { code } = await tryRun('runuser', ['-u', 'postgres', '--', 'test', '-w', dir]);
  return code === 0;
}

/** The /var/tmp folder a cluster lives in when the `postgres` user cannot reach the stack's data folder. */
const fallbackRoot = (preferred: string) => `/var/tmp/polystore-${createHash('sha256').update(preferred).digest('hex').slice(0, 12)}`;

/** Every /var/tmp folder the stack's PostgreSQL clusters may live in (own and FerretDB's backends). */
export function postgresFallbackDirs(s: Stack): string[] {
  return SERVICE_NAMES.flatMap((service) => [join(service, 'postgres'), join(service, 'ferretdb-postgres')]).map((dirName) =>
    fallbackRoot(join(s.dataDir, dirName)),
  );
}

/** Where a cluster lives: the stack's data folder, or a /var/tmp folder when `postgres` cannot reach it. */
async function postgresDataDir(s: Stack, dirName: string): Promise<string> {
  const preferred = join(s.dataDir, dirName);
  mkdirSync(preferred, { recursive: true });
  if (isRoot) await tryRun('chown', ['postgres:postgres', preferred]);
  if (await postgresCanReach(preferred)) return preferred;
  const fallback = join(fallbackRoot(preferred), dirName);
  mkdirSync(fallback, { recursive: true });
  chmodSync(fallbackRoot(preferred), 0o755);
  await tryRun('chown', ['postgres:postgres', fallback]);
  say(`the postgres user cannot reach ${preferred}; using ${fallback}`);
  return fallback;
}

/** pg_ctl stop, fast mode (disconnects clients, shuts down cleanly); nothing when the cluster does not run. */
async function pgCtlStop(bin: string, dir: string): Promise<void> {
  const [cmd, args] = asPostgres(join(bin, 'pg_ctl'), ['-D', dir, '-m', 'fast', '-w', 'stop']);
  await tryRun(cmd, args);
}

export async function ensurePostgresCluster(s: Stack, cluster: PostgresCluster): Promise<Started> {
  const { port, label } = cluster;
  const bootstrap = (dir: string) => {
    const login = cluster.login();
    return psqlAsAdmin(s, dir, port, ownDatabaseSql(login, `'${login.password}'`));
  };
  if (await portOpen(port)) {
    say(`${label} already up on ${port}; reusing it`);
    await bootstrap(await postgresDataDir(s, cluster.dirName));
    return NOTHING_STARTED;
  }
  let bin = postgresBinDir();
  if (!bin) {
    await ensureDebianPackages(['postgresql'], `PostgreSQL (${label})`);
    bin = postgresBinDir();
    if (!bin) throw new Error('the postgresql package is installed but no /usr/lib/postgresql/*/bin/pg_ctl was found');
  }
  const dir = await postgresDataDir(s, cluster.dirName);
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    say(`initialising the ${label} cluster in ${dir}`);
    const pwfile = join(dir, '..', `.pgpass-init-${process.pid}`);
    const admin = adminLogin(s, 'postgres');
    writeFileSync(pwfile, admin.password, { mode: 0o644 });
    try {
      const [cmd, args] = asPostgres(join(bin, 'initdb'), [
        '-D',
        dir,
        '-U',
        admin.user,
        '--pwfile',
        pwfile,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C',
      ]);
      await run(cmd, args, { quiet: true });
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  // Written at every start, so a cluster initialised under other settings takes these too.
  writeFileSync(
    join(dir, 'postgresql.auto.conf'),
    `listen_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${dir}'\nmax_connections = 200\nshared_buffers = 128MB\n${durability(s)}`,
  );
  if (isRoot) await run('chown', ['postgres:postgres', join(dir, 'postgresql.auto.conf')]);
  say(`starting ${label} on 127.0.0.1:${port}`);
  // The port on the command line wins over the one written at initdb: a data folder created under
  // another POLYSTORE_PORT_OFFSET must listen where this stack looks for it.
  const [cmd, args] = asPostgres(join(bin, 'pg_ctl'), ['-D', dir, '-l', join(dir, 'server.log'), '-o', `-p ${port}`, '-w', '-t', '60', 'start']);
  await run(cmd, args, { quiet: true });
  await bootstrap(dir);
  const binDir = bin;
  return { started: true, stop: () => pgCtlStop(binDir, dir) };
}

/**
 * The test stack's throwaway data trades what only an operating-system crash would lose for speed:
 * no fsync, no full-page images. Commits stay synchronous (written to the kernel before they are
 * answered), because the chaos suite and the outage tests kill the server (-9), not the machine:
 * with `synchronous_commit = off` a debit users had answered was lost with the server, and cart
 * completed checkouts whose money was never taken. Other stacks keep PostgreSQL's defaults.
 */
function durability(s: Stack): string {
  return s.name === 'test' ? 'fsync = off\nfull_page_writes = off\n' : '';
}

/** Stops a cluster when it runs (wherever postgresDataDir put it). */
export async function stopPostgresCluster(s: Stack, cluster: PostgresCluster): Promise<void> {
  const bin = postgresBinDir();
  if (!bin) return;
  const dir = await postgresDataDir(s, cluster.dirName);
  if (existsSync(join(dir, 'postmaster.pid'))) await pgCtlStop(bin, dir);
}

/** Runs SQL as the cluster's admin (over its socket when we can reach it). */
async function psqlAsAdmin(s: Stack, dir: string, port: number, sql: string): Promise<void> {
  const admin = adminLogin(s, 'postgres');
  const env = { PGPASSWORD: admin.password };
  const args = [
    '-h',
    existsSync(join(dir, `.s.PGSQL.${port}`)) ? dir : '127.0.0.1',
    '-p',
    String(port),
    '-U',
    admin.user,
    '-d',
    'postgres',
    '-v',
    'ON_ERROR_STOP=1',
    '-q',
  ];
  await run('psql', args, { quiet: true, env, input: sql });
}

/**
 * A role owning one database that only it may connect to (idempotent; docker-compose's init script
 * runs the same). `password` is SQL: a quoted literal here, a psql variable (`:'owner_password'`)
 * in compose's script, which reads it from the container's environment.
 */
export function ownDatabaseSql({ user, database }: { user: string; database: string }, password: string): string {
  return `
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '${user}', ${password}) WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}')\\gexec
SELECT 'CREATE DATABASE ${database} OWNER ${user}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${database}')\\gexec
REVOKE ALL ON DATABASE ${database} FROM PUBLIC;
-- Service roles reach only their own database: not the maintenance ones either.
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${user};
`;
}

/** A service's own PostgreSQL cluster: its role owns its one database. */
export const POSTGRES: StoreProvisioner = {
  ensure: (s, service) => ensurePostgresCluster(s, ownCluster(s, service)),
  stop: (s, service) => stopPostgresCluster(s, ownCluster(s, service)),
  async reset(s, service) {
    // A new, empty database; WITH (FORCE) closes connections an earlier run left open.
    const { user, database } = serviceLogin(service);
    const sql = [
      `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`,
      `CREATE DATABASE ${database} OWNER ${user}`,
      `REVOKE ALL ON DATABASE ${database} FROM PUBLIC`,
    ];
    await run(
      'psql',
      [postgresAdminUrl(s, s.stores[service].port), '-v', 'ON_ERROR_STOP=1', '-q', ...sql.flatMap((statement) => ['-c', statement])],
      {
        quiet: true,
      },
    );
  },
  connection: (s, service) => ({
    adminUrl: postgresAdminUrl(s, s.stores[service].port),
    ownerEnv: localOwnerEnv(s, service),
  }),
};
