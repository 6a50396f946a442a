// A Redis service's backup: an RDB snapshot (BGSAVE, then the file). The append-only file stays on
// while the service runs; a restore stops the server, puts the RDB in place of the dataset, starts
// it with the AOF off (so the RDB is what it loads), then turns the AOF on again, which rewrites
// the AOF from the loaded dataset before it is used: after that the AOF, not the RDB, is the data.
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { portOpen, sleep, startDetached, waitFor, waitUntilReady } from '../proc.ts';
import { serviceLogin } from '../stack.ts';
import { ensureCommand } from '../stores/debian-packages.ts';
import { storeDataDir } from '../stores/provisioner.ts';
import { provisionerOf } from '../stores/index.ts';
import { Checksum, canonicalJson, type BackupContext, type BackupTool, type ContentPart } from './tool.ts';

const RDB_FILE = 'dump.rdb';

async function connect(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  return redis;
}

const adminUrl = (ctx: BackupContext) => provisionerOf(ctx.s, ctx.service).connection(ctx.s, ctx.service).adminUrl as string;
function ownerUrl(ctx: BackupContext): string {
  const env = provisionerOf(ctx.s, ctx.service).connection(ctx.s, ctx.service).ownerEnv;
  const url = Object.values(env).find((value) => value.startsWith('redis://'));
  if (!url) throw new Error(`no Redis URL among ${ctx.service}'s store variables`);
  return url;
}

async function withRedis<T>(url: string, fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = await connect(url);
  try {
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

/** `INFO <section>` as a map. */
async function info(redis: Redis, section: string): Promise<Record<string, string>> {
  const text = await redis.info(section);
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
  );
}

/** The command that reads a key's whole value, by type. */
function readValue(pipeline: ReturnType<Redis['pipeline']>, key: string, type: string): void {
  switch (type) {
    case 'string':
      pipeline.getBuffer(key);
      return;
    case 'hash':
      pipeline.hgetall(key);
      return;
    case 'list':
      pipeline.lrange(key, 0, -1);
      return;
    case 'set':
      pipeline.smembers(key);
      return;
    case 'zset':
      pipeline.zrange(key, '0', '-1', 'WITHSCORES');
      return;
    case 'stream':
      pipeline.xrange(key, '-', '+');
      return;
    default:
      throw new Error(`key ${key} is a ${type}, which the backup's checksum does not read`);
  }
}

/** A value in a form that does not depend on how Redis encodes or orders it. */
function canonicalValue(type: string, value: unknown): unknown {
  if (type === 'string') return (value as Buffer | null)?.toString('base64');
  if (type === 'hash') return Object.entries(value as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1));
  if (type === 'set') return [...(value as string[])].sort();
  return value;
}

/** Runs a pipeline; the first error, if any, rejects. */
async function results(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const replies = (await pipeline.exec()) ?? [];
  const failed = replies.find(([error]) => error);
  if (failed) throw failed[0];
  return replies.map(([, value]) => value);
}

/**
 * Every key of the service's server, read with the owner's login (it may read only its prefix, and
 * every key here is under it): a part per key family (`<prefix><first segment>`), each key hashed
 * with its type and its value. A TTL is not hashed (it counts down); the RDB keeps expiry times.
 * Types and values are read a SCAN page at a time, pipelined.
 */
async function keyParts(ctx: BackupContext): Promise<ContentPart[]> {
  const { keyPrefix } = serviceLogin(ctx.service);
  return withRedis(ownerUrl(ctx), async (redis) => {
    const families = new Map<string, Checksum>();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      const typing = redis.pipeline();
      for (const key of keys) typing.type(key);
      const types = (await results(typing)) as string[];
      const live = keys.map((key, i) => ({ key, type: types[i] })).filter(({ type }) => type !== 'none'); // gone since the scan saw it
      const reading = redis.pipeline();
      for (const { key, type } of live) readValue(reading, key, type);
      const values = await results(reading);
      live.forEach(({ key, type }, i) => {
        const family = keyPrefix + key.slice(keyPrefix.length).split(':')[0];
        if (!families.has(family)) families.set(family, new Checksum());
        families.get(family)!.add(canonicalJson([key, type, canonicalValue(type, values[i])]));
      });
    } while (cursor !== '0');
    return [...families.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, sum]) => sum.part(`${name}:*`));
  });
}

export const REDIS_BACKUP: BackupTool = {
  unit: 'keys',
  tool: 'BGSAVE and the RDB file; restore: the RDB loaded with the AOF off, then CONFIG SET appendonly yes',
  credentials:
    "counts and checksums with the service's own user; BGSAVE, CONFIG and the restart with the admin user (the service's ACL denies @admin commands, which these are)",

  async version(ctx) {
    return withRedis(ownerUrl(ctx), async (redis) => `Redis ${(await info(redis, 'server')).redis_version}`);
  },

  inspect: keyParts,

  async backup(ctx, dir) {
    const rdb = await withRedis(adminUrl(ctx), async (redis) => {
      const [, rdbDir] = (await redis.config('GET', 'dir')) as string[];
      const [, dbfilename] = (await redis.config('GET', 'dbfilename')) as string[];
      let before = await redis.lastsave();
      // LASTSAVE has a resolution of a second: make sure this save's time differs from the last one's.
      if (before >= Math.floor(Date.now() / 1000)) await sleep(1100);
      before = await redis.lastsave();
      // SCHEDULE: if an AOF rewrite runs, the save starts when it ends instead of failing.
      await redis.call('BGSAVE', 'SCHEDULE');
      await waitFor('the BGSAVE to finish', async () => (await redis.lastsave()) > before, { timeoutMs: 600_000, intervalMs: 100 });
      const persistence = await info(redis, 'persistence');
      if (persistence.rdb_last_bgsave_status !== 'ok')
        throw new Error(`BGSAVE failed (rdb_last_bgsave_status ${persistence.rdb_last_bgsave_status})`);
      return join(rdbDir, dbfilename);
    });
    copyFileSync(rdb, join(dir, RDB_FILE));
    return keyParts(ctx);
  },

  async clear(ctx) {
    await provisionerOf(ctx.s, ctx.service).reset(ctx.s, ctx.service);
  },

  async restore(ctx, dir) {
    const { s, service } = ctx;
    const settings = await withRedis(adminUrl(ctx), async (redis) => {
      const get = async (name: string) => ((await redis.config('GET', name)) as string[])[1];
      return { dir: await get('dir'), dbfilename: await get('dbfilename'), appenddirname: await get('appenddirname') };
    });
    const port = s.stores[service].port;
    ctx.log(`stopping redis (${service}) on ${port}`);
    await provisionerOf(s, service).stop(s, service);
    await waitFor(`redis (${service}) to stop`, async () => !(await portOpen(port)));
    // The AOF would win over the RDB at start: it goes, and the backup's RDB takes the dataset's place.
    rmSync(join(settings.dir, settings.appenddirname), { recursive: true, force: true });
    copyFileSync(join(dir, RDB_FILE), join(settings.dir, settings.dbfilename));
    const binary = await ensureCommand('redis-server', 'redis-server', `Redis (${service}'s store)`);
    const conf = join(storeDataDir(s, service), 'redis.conf');
    if (!existsSync(conf)) throw new Error(`no ${conf}: npm run infra:up writes it`);
    ctx.log(`starting redis (${service}) from the RDB (${statSync(join(dir, RDB_FILE)).size} bytes) with the AOF off`);
    const server = startDetached(binary, [conf, '--appendonly', 'no']);
    await waitUntilReady(
      server,
      `redis (${service})`,
      async () => (await portOpen(port)) && withRedis(adminUrl(ctx), async (redis) => (await info(redis, 'persistence')).loading === '0'),
      { logFile: join(storeDataDir(s, service), 'redis.log'), timeoutMs: 600_000 },
    );
    await withRedis(adminUrl(ctx), async (redis) => {
      // Turning the AOF on writes a new one from the dataset in memory (the restored one).
      await redis.config('SET', 'appendonly', 'yes');
      await waitFor(
        'the AOF rewrite to finish',
        async () => {
          const p = await info(redis, 'persistence');
          return p.aof_enabled === '1' && p.aof_rewrite_in_progress === '0' && p.aof_rewrite_scheduled === '0';
        },
        { timeoutMs: 600_000, intervalMs: 100 },
      );
      const p = await info(redis, 'persistence');
      if (p.aof_last_bgrewrite_status !== 'ok') throw new Error(`the AOF rewrite failed (aof_last_bgrewrite_status ${p.aof_last_bgrewrite_status})`);
    });
    // The AOF is the data from here on; the RDB that seeded it would only mislead.
    rmSync(join(settings.dir, settings.dbfilename), { force: true });
    ctx.log(`redis (${service}) runs with the restored data and its AOF on`);
  },
};
