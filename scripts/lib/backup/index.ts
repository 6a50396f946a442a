// `npm run backup` / `npm run restore`: each service's store with its own kind's tool (a module per
// store kind beside this file), and the stack's event streams with JetStream's. Which services
// there are comes from the stack (the manifest); nothing here lists them.
import { ERASURE_OWNER, carryErasureLog, readErasureLog } from '../erasure/log.ts';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { APPS, STORE_KINDS, type StoreKind } from '../../../manifest.ts';
import { portOpen } from '../proc.ts';
import { APP_NAMES, SERVICE_NAMES, opsNatsOptions, type ServiceName, type Stack } from '../stack.ts';
import { CLICKHOUSE_BACKUP } from './clickhouse.ts';
import { JETSTREAM_BACKUP } from './jetstream.ts';
import { MONGODB_BACKUP } from './mongodb.ts';
import { OPENSEARCH_BACKUP } from './opensearch.ts';
import { POSTGRES_BACKUP } from './postgres.ts';
import { REDIS_BACKUP } from './redis.ts';
import { differences, totalCount, type BackupTool, type ContentPart } from './tool.ts';

export type { ContentPart } from './tool.ts';

/** Each store kind's backup tool. */
export const BACKUP_TOOLS: Record<StoreKind, BackupTool> = {
  postgres: POSTGRES_BACKUP,
  redis: REDIS_BACKUP,
  opensearch: OPENSEARCH_BACKUP,
  clickhouse: CLICKHOUSE_BACKUP,
  mongodb: MONGODB_BACKUP,
};

/** The name that stands for the stack's JetStream streams (a reserved name: no service can take it). */
export const EVENT_STREAMS = 'events';

/** What `manifest.json` in each backup folder says. */
export interface BackupManifest {
  format: 'polystore-backup/1';
  /** A service, or `events` for the stack's JetStream streams. */
  target: string;
  store: { kind: string; engine: string; tool: string; credentials: string };
  stack: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Bytes of the backup's files (not counting this manifest). */
  bytes: number;
  files: Array<{ path: string; bytes: number }>;
  /** What `count` counts: rows, documents, keys, messages. */
  unit: string;
  count: number;
  /** Per table, index, collection, key family or stream: count and order-independent checksum (see tool.ts). */
  parts: ContentPart[];
}

export const MANIFEST_FILE = 'manifest.json';

interface Target {
  name: string;
  kind: string;
  tool: BackupTool;
  /** Apps that write to it: a restore waits until they are stopped. */
  writers: string[];
}

/** The services of the stack (or one of them), and the event streams for `all` and `events`. */
export function backupTargets(s: Stack, which: string): Target[] {
  const service = (name: ServiceName): Target => {
    const kind = s.stores[name].spec.kind;
    return { name, kind, tool: BACKUP_TOOLS[kind], writers: [name] };
  };
  const events: Target = { name: EVENT_STREAMS, kind: 'jetstream', tool: JETSTREAM_BACKUP, writers: [...APP_NAMES] };
  if (which === 'all') return [...s.services.map(service), events];
  if (which === EVENT_STREAMS) return [events];
  if ((SERVICE_NAMES as string[]).includes(which)) return [service(which as ServiceName)];
  throw new Error(`unknown service "${which}": one of ${[...SERVICE_NAMES, EVENT_STREAMS, 'all'].join(', ')}`);
}

function files(dir: string): Array<{ path: string; bytes: number }> {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path: relative(dir, path), bytes: statSync(path).size };
    })
    .filter((f) => f.path !== MANIFEST_FILE)
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

const contextOf = (s: Stack, target: Target, log: (msg: string) => void) => ({
  s,
  service: target.name as ServiceName,
  log: (msg: string) => log(`${target.name}: ${msg}`),
});

/** Backs up `which` (a service, `events` or `all`) into `root/<target>/`; returns each target's manifest. */
export async function backup(s: Stack, which: string, root: string, log: (msg: string) => void = console.log): Promise<BackupManifest[]> {
  const manifests: BackupManifest[] = [];
  for (const target of backupTargets(s, which)) {
    const dir = join(root, target.name);
    if (existsSync(dir)) throw new Error(`${dir} exists: a backup goes into a new folder`);
    mkdirSync(dir, { recursive: true });
    const ctx = contextOf(s, target, log);
    const started = new Date();
    try {
      const engine = await target.tool.version(ctx);
      ctx.log(`backing up (${engine}) with ${target.tool.tool}`);
      const parts = await target.tool.backup(ctx, dir);
      const finished = new Date();
      const written = files(dir);
      const manifest: BackupManifest = {
        format: 'polystore-backup/1',
        target: target.name,
        store: { kind: target.kind, engine, tool: target.tool.tool, credentials: target.tool.credentials },
        stack: s.name,
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
        bytes: written.reduce((sum, f) => sum + f.bytes, 0),
        files: written,
        unit: target.tool.unit,
        count: totalCount(parts),
        parts,
      };
      writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
      ctx.log(`${manifest.count} ${manifest.unit}, ${manifest.bytes} bytes, ${(manifest.durationMs / 1000).toFixed(1)} s → ${dir}`);
      manifests.push(manifest);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
  return manifests;
}

/** A restore refused because the store holds data and --force was not given. */
export class RestoreRefused extends Error {}

/** The backup folder of a target: `dir` itself (a target's folder) or `dir/<target>` (a backup of several). */
function manifestOf(dir: string, target: string): { dir: string; manifest: BackupManifest } {
  for (const candidate of [join(dir, target), dir]) {
    const file = join(candidate, MANIFEST_FILE);
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
    if (manifest.target === target) return { dir: candidate, manifest };
  }
  throw new Error(`no backup of ${target} in ${dir} (no ${join(dir, target, MANIFEST_FILE)})`);
}

const describe = (parts: ContentPart[]) =>
  parts
    .filter((p) => p.count > 0)
    .map((p) => `${p.name} ${p.count}`)
    .join(', ');

/**
 * Restores `which` from `root` (the folder `npm run backup` printed, or one target's folder). A store
 * that holds data is left alone unless `force`; then its data is replaced, and the log says what it
 * held. Afterwards the store is read again and must match the manifest's counts and checksums.
 */
export async function restore(
  s: Stack,
  which: string,
  root: string,
  { force = false, replay = false, log = console.log }: { force?: boolean; replay?: boolean; log?: (msg: string) => void } = {},
): Promise<ContentPart[][]> {
  const plan = backupTargets(s, which).map((target) => ({ target, ...manifestOf(root, target.name) }));
  for (const { target, manifest } of plan) {
    if (manifest.store.kind !== target.kind)
      throw new Error(`the backup of ${target.name} is of a ${manifest.store.kind} store; ${target.name}'s is ${target.kind}`);
    const running = [];
    for (const app of target.writers) if (await portOpen(s.ports[app as keyof Stack['ports']])) running.push(app);
    if (running.length)
      throw new Error(
        `${running.join(', ')} run${running.length === 1 ? 's' : ''} on the ${s.name} stack: stop ${running.length === 1 ? 'it' : 'them'} before restoring ${target.name}`,
      );
  }
  // Every store is looked at before any is touched: a refusal leaves everything as it was.
  const held: ContentPart[][] = [];
  for (const { target } of plan) held.push(await target.tool.inspect(contextOf(s, target, log)));
  const occupied = plan.map(({ target, manifest }, i) => ({ target, manifest, parts: held[i] })).filter(({ parts }) => totalCount(parts) > 0);
  if (occupied.length && !force) {
    throw new RestoreRefused(
      `refused: these stores hold data, which the restore would replace (add --force to do it):\n` +
        occupied
          .map(
            ({ target, manifest, parts }) =>
              `  ${target.name}: ${totalCount(parts)} ${manifest.unit} (${describe(parts)}) → the backup's ${manifest.count} of ${manifest.finishedAt}`,
          )
          .join('\n'),
    );
  }
  const results: ContentPart[][] = [];
  for (const [i, { target, dir, manifest }] of plan.entries()) {
    const ctx = contextOf(s, target, log);
    const current = held[i];
    if (totalCount(current) > 0) ctx.log(`replacing ${totalCount(current)} ${manifest.unit} (${describe(current)})`);
    const started = Date.now();
    // Erasures recorded since the backup must not be undone by it (scripts/lib/erasure/log.ts).
    const erasures = target.name === ERASURE_OWNER && totalCount(current) > 0 ? await readErasureLog(s) : [];
    await target.tool.clear(ctx);
    await target.tool.restore(ctx, dir);
    const restored = await target.tool.inspect(ctx);
    const problems = differences(manifest.parts, restored);
    if (problems.length) throw new Error(`${target.name} was restored but does not match its backup's manifest:\n  ${problems.join('\n  ')}`);
    ctx.log(
      `restored ${manifest.count} ${manifest.unit} of ${manifest.finishedAt} in ${((Date.now() - started) / 1000).toFixed(1)} s; counts and checksums match`,
    );
    const carried = await carryErasureLog(s, erasures);
    if (carried > 0) ctx.log(`carried ${carried} recorded erasure(s) over the restore: ${ERASURE_OWNER} applies them again when it starts`);
    if (replay && target.name !== EVENT_STREAMS) await replayInputs(s, target.name as ServiceName, ctx.log);
    results.push(restored);
  }
  return results;
}

/**
 * Makes a restored service read again every event still on the streams it consumes: its durable
 * consumers (named `<service>-…`) are deleted, and the service creates them again when it starts,
 * from the start of each stream (the platform's consumers deliver all). Its handlers are idempotent
 * (an inbox, or writes keyed by the event id), so what the restored store already holds is skipped
 * and what happened after the backup is applied: the store catches up with the streams, within
 * their retention (7 days).
 */
export async function replayInputs(s: Stack, service: ServiceName, log: (msg: string) => void): Promise<string[]> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect(opsNatsOptions(s));
  const deleted: string[] = [];
  try {
    const jsm = await jetstreamManager(nc);
    for (const producer of APPS[service].consumes) {
      const stream = `EVENTS_${producer.toUpperCase()}`;
      const names: string[] = [];
      try {
        for await (const consumer of jsm.consumers.list(stream)) names.push(consumer.name);
      } catch (error) {
        if (/stream not found/i.test((error as Error).message)) continue;
        throw error;
      }
      for (const name of names.filter((n) => n === service || n.startsWith(`${service}-`))) {
        await jsm.consumers.delete(stream, name);
        deleted.push(`${stream}/${name}`);
      }
    }
  } finally {
    await nc.close();
  }
  log(
    deleted.length
      ? `replay: deleted the consumers ${deleted.join(', ')}; ${service} reads those streams again from their start when it starts`
      : `replay: ${service} has no consumers to reset`,
  );
  return deleted;
}

/** The store kinds' labels, for help texts. */
export const storeLabel = (kind: string): string => (kind in STORE_KINDS ? STORE_KINDS[kind as StoreKind].label : 'JetStream');
