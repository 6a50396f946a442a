// The stack's event streams: JetStream's own snapshot and restore (the stream's files and its
// consumers' state, sequences kept) through natscli's `nats backup stream` / `nats backup restore
// stream`. natscli is built once from the Go module proxy into a cache outside the clone, like
// FerretDB (scripts/lib/stores/ferretdb.ts).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { execute, findExecutable, run } from '../proc.ts';
import { opsNatsOptions, type Stack } from '../stack.ts';
import { NATS } from '../stores/index.ts';
import { Checksum, canonicalJson, type BackupContext, type BackupTool, type ContentPart } from './tool.ts';

export const NATSCLI_VERSION = 'v0.5.0';
const NATSCLI_PACKAGE = 'github.com/nats-io/natscli/nats';

export function natscliCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'polystore', `natscli-${NATSCLI_VERSION}`);
}

/** natscli's `nats`, built with `go install` from the Go module proxy on first need (~1-3 min). */
export async function ensureNatscli(log: (msg: string) => void): Promise<string> {
  const dir = natscliCacheDir();
  const binary = join(dir, 'nats');
  if (existsSync(binary)) return binary;
  const go = process.env.GO || findExecutable('go', ['/usr/local/go/bin', join(homedir(), 'go', 'bin')]);
  if (!go)
    throw new Error(
      `natscli ${NATSCLI_VERSION} (JetStream backups) is built from the Go module proxy and needs Go >= 1.26 on PATH (or GO=<path to go>)`,
    );
  log(`building natscli ${NATSCLI_VERSION} from the Go module proxy (first run only)`);
  mkdirSync(dirname(dir), { recursive: true });
  const work = mkdtempSync(join(dirname(dir), '.natscli-build-'));
  try {
    await run(go, ['install', '-trimpath', `${NATSCLI_PACKAGE}@${NATSCLI_VERSION}`], {
      quiet: true,
      cwd: work,
      env: { GOBIN: work, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    });
    mkdirSync(dir, { recursive: true });
    renameSync(join(work, 'nats'), binary);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

/**
 * natscli's connection flags, each as --flag=value: a generated password may begin with '-'
 * (base64url), which natscli would read as a flag of its own when given as the next argument.
 */
export function natscliConnectionArgs({ servers, user, pass }: { servers: string; user: string; pass: string }): string[] {
  return [`--server=${servers}`, `--user=${user}`, `--password=${pass}`];
}

async function natscli(s: Stack, log: (msg: string) => void, args: string[]): Promise<string> {
  const finished = await execute(await ensureNatscli(log), [...natscliConnectionArgs(opsNatsOptions(s)), ...args], {
    timeoutMs: 3_600_000,
  });
  if (finished.code !== 0) {
    // natscli's own error line comes first, then its usage text: keep the error, and the end.
    const lines = finished.output.trim().split('\n');
    const errors = lines.filter((line) => /\berror\b/i.test(line)).slice(0, 5);
    throw new Error(`nats ${args.join(' ')} failed:\n${[...errors, ...lines.slice(-10)].join('\n')}`);
  }
  return finished.stdout;
}

async function withNats<T>(s: Stack, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const { connect } = await import('@nats-io/transport-node');
  const nc = await connect({ ...opsNatsOptions(s), noAsyncTraces: true });
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}

/**
 * Each stream's messages up to `lastSeq` (default: its last now): count, and the sum of a hash of
 * each message's sequence, subject, headers and payload. Read with an ordered consumer.
 */
async function streamParts(s: Stack, upTo: Record<string, number> = {}): Promise<ContentPart[]> {
  const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
  return withNats(s, async (nc) => {
    const jsm = await jetstreamManager(nc);
    const parts: ContentPart[] = [];
    const streams = [];
    for await (const info of jsm.streams.list()) streams.push(info);
    for (const info of streams.sort((a, b) => (a.config.name < b.config.name ? -1 : 1))) {
      const name = info.config.name;
      const last = upTo[name] ?? info.state.last_seq;
      const sum = new Checksum();
      if (info.state.messages > 0 && last >= info.state.first_seq) {
        const consumer = await jetstream(nc).consumers.get(name, {
          deliver_policy: 'by_start_sequence' as never,
          opt_start_seq: info.state.first_seq,
        });
        const messages = await consumer.consume({ max_messages: 1000 });
        for await (const m of messages) {
          if (m.seq <= last) sum.add(canonicalJson([m.seq, m.subject, m.headers?.toString() ?? '', Buffer.from(m.data).toString('base64')]));
          if (m.seq >= last) break;
        }
        // An ordered consumer is ephemeral, but lingers on the server a while after it closes:
        // delete it, so it is not taken into the next snapshot of the stream.
        const { name: ordered } = await consumer.info(true);
        await messages.close();
        await jsm.consumers.delete(name, ordered).catch(() => undefined);
      }
      parts.push(sum.part(name));
    }
    return parts;
  });
}

/** What a stream backup's backup.json says (JetStream's restore request: the config and the state). */
function backupState(dir: string): { name: string; lastSeq: number } {
  const { config, state } = JSON.parse(readFileSync(join(dir, 'backup.json'), 'utf8')) as { config: { name: string }; state: { last_seq: number } };
  return { name: config.name, lastSeq: state.last_seq };
}

type StackContext = Pick<BackupContext, 's' | 'log'>;

export const JETSTREAM_BACKUP: BackupTool = {
  unit: 'messages',
  tool: `JetStream snapshot/restore of each stream with its consumers (natscli ${NATSCLI_VERSION}: nats backup stream / nats backup restore stream)`,
  credentials:
    'the stack’s operator NATS user (ops): the JetStream snapshot and restore API ($JS.API.STREAM.SNAPSHOT/RESTORE) is an account-level admin API; each app’s NATS user may only use its own subjects',

  async version({ s }: StackContext) {
    return withNats(s, async (nc) => `NATS ${nc.info?.version ?? '?'} (JetStream)`);
  },

  inspect: ({ s }: StackContext) => streamParts(s),

  async backup({ s, log }: StackContext, dir) {
    const { jetstreamManager } = await import('@nats-io/jetstream');
    const names = await withNats(s, async (nc) => {
      const list = [];
      for await (const info of (await jetstreamManager(nc)).streams.list()) list.push(info.config.name);
      return list.sort();
    });
    const upTo: Record<string, number> = {};
    for (const name of names) {
      await natscli(s, log, ['backup', 'stream', name, join(dir, name), '--no-progress', '--consumers']);
      upTo[name] = backupState(join(dir, name)).lastSeq;
    }
    // Messages are appended, never changed: the ones up to each snapshot's last are what it holds.
    return (await streamParts(s, upTo)).filter((part) => part.name in upTo);
  },

  async clear({ s }: StackContext) {
    await NATS.reset(s);
  },

  async restore({ s, log }: StackContext, dir) {
    for (const name of readdirSync(dir).filter((entry) => existsSync(join(dir, entry, 'backup.json')))) {
      await natscli(s, log, ['backup', 'restore', 'stream', join(dir, name), '--no-progress']);
    }
  },
};
