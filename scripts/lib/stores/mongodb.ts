// A service's MongoDB-wire store on the local stacks: FerretDB (ferretdb.ts) on a PostgreSQL
// cluster of its own (postgres.ts).
import { join } from 'node:path';
import type { MongoClient } from 'mongodb';
import { portOpen, stopByPidFile } from '../proc.ts';
import { adminLogin, serviceCredentials, serviceLogin, type ServiceName, type Stack } from '../stack.ts';
import { ensureFerretdbBinary, pidFileOf, startFerretdb } from './ferretdb.ts';
import { ensurePostgresCluster, ferretdbBackendCluster, stopPostgresCluster } from './postgres.ts';
import { NOTHING_STARTED, localOwnerEnv, say, storeDataDir, type Started, type StoreProvisioner } from './provisioner.ts';

/** FerretDB's files (state, log, pid): `.data/<stack>/<service>/ferretdb`; the documents are in the backend cluster. */
const ferretdbDir = (s: Stack, service: ServiceName) => storeDataDir(s, service, 'ferretdb');

function mongoAdminUrl(s: Stack, port: number): string {
  const admin = adminLogin(s, 'mongodb');
  return `mongodb://${admin.user}:${admin.password}@127.0.0.1:${port}/admin?authSource=admin`;
}

/** The MongoDB client an operator uses on a service's store (admin login). */
async function mongoAdminClient(s: Stack, service: ServiceName): Promise<MongoClient> {
  const { MongoClient } = await import('mongodb');
  return new MongoClient(mongoAdminUrl(s, s.stores[service].port), { serverSelectionTimeoutMS: 5_000 });
}

/**
 * FerretDB 1.x (MongoDB wire protocol) on its own PostgreSQL cluster, with SCRAM authentication on:
 * a root user for operators and the owner's own user. FerretDB 1.x authenticates but does not
 * authorise (roles must be empty), so the separation here is that no other service has a user at
 * all. PostgreSQL rather than SQLite underneath: FerretDB pushes equality filters down to it, so
 * PostgreSQL filters in C instead of FerretDB decoding every document (measured: listing one user's
 * conversations among 4,950 took 505 ms on SQLite, 22 ms here), and the patched `_id` lookup is a
 * btree index scan on both.
 */
async function startFerretdbOnPostgres(s: Stack, service: ServiceName): Promise<Started> {
  const { port, backendPort } = s.stores[service];
  const dataDir = ferretdbDir(s, service);
  // Side by side; if the binary cannot be had, the backend this call started is stopped again.
  const [built, backendStart] = await Promise.allSettled([
    ensureFerretdbBinary({ log: (m) => say(`ferretdb: ${m}`) }),
    ensurePostgresCluster(s, ferretdbBackendCluster(s, service)),
  ]);
  if (built.status === 'rejected') {
    if (backendStart.status === 'fulfilled') await backendStart.value.stop();
    throw built.reason;
  }
  if (backendStart.status === 'rejected') throw backendStart.reason;
  const binary = built.value;
  const backend = backendStart.value;
  const admin = adminLogin(s, 'mongodb');
  const pg = adminLogin(s, 'ferretdbBackend');
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
        '--test-enable-new-auth',
        '--setup-database=admin',
        `--setup-username=${admin.user}`,
        `--setup-password=${admin.password}`,
      ],
    });
    return {
      started: true,
      stop: async () => {
        await server.stop();
        // By its pid file too: the server may have been started again since (an outage test kills and restarts it).
        await stopByPidFile(pidFileOf(ferretdbDir(s, service)));
        await backend.stop();
      },
    };
  } catch (error) {
    await backend.stop();
    throw error;
  }
}

/** The owner's user in its own database (idempotent). */
async function bootstrapOwnerUser(s: Stack, service: ServiceName): Promise<void> {
  const owner = serviceCredentials(s, service);
  const client = await mongoAdminClient(s, service);
  try {
    await client.connect();
    const db = client.db(owner.database);
    const existing = await db.command({ usersInfo: owner.user }).catch(() => null);
    if (existing?.users?.length) return;
    try {
      await db.command({ createUser: owner.user, pwd: owner.password, roles: [] });
    } catch (error) {
      if (!/already exists/i.test((error as Error).message)) throw error;
    }
  } finally {
    await client.close();
  }
}

export const MONGODB: StoreProvisioner = {
  async ensure(s, service) {
    const { port } = s.stores[service];
    let result = NOTHING_STARTED;
    if (await portOpen(port)) say(`mongodb-wire server (${service}) already up on ${port}; reusing it`);
    else result = await startFerretdbOnPostgres(s, service);
    try {
      await bootstrapOwnerUser(s, service);
    } catch (error) {
      await result.stop();
      throw error;
    }
    return result;
  },

  async stop(s, service) {
    await stopByPidFile(pidFileOf(ferretdbDir(s, service)));
    await stopPostgresCluster(s, ferretdbBackendCluster(s, service));
  },

  async reset(s, service) {
    // Every collection of the owner's database (a benchmark may have left a million messages there).
    const client = await mongoAdminClient(s, service);
    try {
      await client.connect();
      const db = client.db(serviceLogin(service).database);
      for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) await db.dropCollection(name);
    } finally {
      await client.close();
    }
  },

  connection: (s, service) => ({ adminUrl: mongoAdminUrl(s, s.stores[service].port), ownerEnv: localOwnerEnv(s, service) }),
};
