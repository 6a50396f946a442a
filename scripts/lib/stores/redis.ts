// A service's own Redis server, from Debian's package.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { portOpen, startDetached, stopByPidFile, waitUntilReady } from '../proc.ts';
import { adminLogin, serviceCredentials, type Login, type ServiceName, type Stack } from '../stack.ts';
import { ensureCommand } from './debian-packages.ts';
import { NOTHING_STARTED, localOwnerEnv, say, storeDataDir, type StoreProvisioner } from './provisioner.ts';

/**
 * A service's Redis, with the append-only file on (cart keeps saga state there) and ACLs: the
 * default user is off; the owner's user may touch only keys (and channels) under its prefix; an
 * admin user exists for operators.
 */
function redisConfig(s: Stack, { port, dir, service }: { port: number; dir: string; service: ServiceName }): string {
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
${redisAclLines(adminLogin(s, 'redis'), serviceCredentials(s, service))}`;
}

/**
 * The ACL part; `npm run compose:secrets` writes the same lines into docker-compose's ACL file.
 *
 * The default user stays off with no password (nobody can log in as it) but holds every permission:
 * Redis 7.0 replays the AOF at start as the default user, and EXEC checks the ACL of each queued
 * command again. With a default user allowed nothing, every MULTI/EXEC in the AOF — cart's
 * transactions and the effects of its Lua scripts (saga steps, cart lines) — was refused with NOPERM
 * and dropped when Redis restarted after a kill: checkouts vanished, carts emptied.
 */
export function redisAclLines(admin: Login, owner: Login & { keyPrefix: string }): string {
  return `user default off resetpass ~* &* +@all
user ${admin.user} on >${admin.password} ~* &* +@all
user ${owner.user} on >${owner.password} ~${owner.keyPrefix}* &${owner.keyPrefix}* +@all -@admin -@dangerous +info +ping
`;
}

function redisAdminUrl(s: Stack, port: number): string {
  const admin = adminLogin(s, 'redis');
  return `redis://${admin.user}:${admin.password}@127.0.0.1:${port}/0`;
}

/** Redis writes its own pid file and log (redisConfig). */
const pidFileOf = (s: Stack, service: ServiceName) => join(storeDataDir(s, service), 'redis.pid');

export const REDIS: StoreProvisioner = {
  async ensure(s, service) {
    const { port } = s.stores[service];
    const dir = storeDataDir(s, service);
    mkdirSync(dir, { recursive: true });
    const conf = join(dir, 'redis.conf');
    writeFileSync(conf, redisConfig(s, { port, dir, service }), { mode: 0o600 });
    if (await portOpen(port)) {
      say(`redis (${service}) already up on ${port}; reusing it`);
      return NOTHING_STARTED;
    }
    const binary = await ensureCommand('redis-server', 'redis-server', `Redis (${service}'s store)`);
    say(`starting redis (${service}) on 127.0.0.1:${port} (AOF on, ACL users)`);
    const server = startDetached(binary, [conf]);
    await waitUntilReady(server, `redis (${service})`, () => portOpen(port), { logFile: join(dir, 'redis.log'), timeoutMs: 15_000 });
    return { started: true, stop: () => stopByPidFile(pidFileOf(s, service)) };
  },

  stop: (s, service) => stopByPidFile(pidFileOf(s, service)),

  async reset(s, service) {
    // The server is the service's own, so every key on it is the owner's: FLUSHALL (as the admin;
    // the owner's user may not) rather than a SCAN for its prefix.
    const { Redis } = await import('ioredis');
    const redis = new Redis(redisAdminUrl(s, s.stores[service].port), { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      await redis.flushall('SYNC');
    } finally {
      redis.disconnect();
    }
  },

  connection: (s, service) => ({ adminUrl: redisAdminUrl(s, s.stores[service].port), ownerEnv: localOwnerEnv(s, service) }),
};
