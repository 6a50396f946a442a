import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventEnvelope } from '@polystore/contracts';
import { startApps, stopAll, type RunningApps } from '../../scripts/lib/apps.ts';
import { readPidFile } from '../../scripts/lib/proc.ts';
import { healthUrl, type AppName, type JwtKeyFiles, type Stack } from '../../scripts/lib/stack.ts';
import { NATS } from '../../scripts/lib/stores/index.ts';
import { waitUntil } from './store-outage.js';

/**
 * What the chaos suite (test/chaos) does to the running system: kills an app with SIGKILL and
 * starts it again, kills NATS and starts it again, and reads what the streams and consumers hold.
 */

/** The apps as separate processes, each of which can be killed (-9) and started again alone. */
export class AppFleet {
  private readonly running = new Map<AppName, RunningApps>();

  constructor(
    private readonly s: Stack,
    private readonly keys: JwtKeyFiles,
  ) {}

  private get logDir(): string {
    return join(this.s.dataDir, 'logs');
  }

  async start(): Promise<void> {
    // A loaded machine can take over a minute to bring every app up.
    const all = await startApps(this.s, this.keys, { logDir: this.logDir, timeoutMs: 180_000 });
    for (const [app, child] of all.children) this.running.set(app, { children: new Map([[app, child]]), stop: () => stopAll([child]) });
  }

  /** SIGKILL: no shutdown hook runs, whatever the app was doing stays half done. */
  async kill(app: AppName): Promise<void> {
    const child = this.running.get(app)?.children.get(app);
    this.running.delete(app);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** SIGSTOP: the app holds its connections and answers nothing until thawed. */
  freeze(app: AppName): void {
    this.running.get(app)?.children.get(app)?.kill('SIGSTOP');
  }

  thaw(app: AppName): void {
    this.running.get(app)?.children.get(app)?.kill('SIGCONT');
  }

  /** Starts the app again; resolves with the milliseconds until it answered ready. */
  async restart(app: AppName): Promise<number> {
    const started = performance.now();
    this.running.set(app, await startApps(this.s, this.keys, { apps: [app], logDir: this.logDir, timeoutMs: 120_000 }));
    return performance.now() - started;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.stop()));
    this.running.clear();
  }
}

/** GET an app's /health/ready: its status code, or 0 when nothing answers. */
export async function readyStatus(s: Stack, app: AppName): Promise<number> {
  const res = await fetch(healthUrl(s, app), { signal: AbortSignal.timeout(2_000) }).catch(() => null);
  return res?.status ?? 0;
}

/** The stack's NATS server: SIGKILL (JetStream recovers its files at the next start), and started again as `npm test` did. */
export const natsServer = {
  async kill(s: Stack): Promise<void> {
    const pid = readPidFile(join(s.dataDir, 'nats', 'nats.pid'));
    if (pid === null) throw new Error('no nats.pid: is the test stack up?');
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 10_000);
  },
  async start(s: Stack): Promise<void> {
    await NATS.ensure(s);
  },
};

/** An event as a stream holds it: the envelope, its stream sequence and when JetStream stored it (ms since the epoch). */
export type StoredEvent = EventEnvelope & { seq: number; storedAt: number };

/** JetStream's answer for a stream that does not exist (not exported as a class by @nats-io/jetstream). */
const streamMissing = (error: unknown): boolean => /stream not found/i.test((error as Error).message);

/** Every message of a stream, from its first to its last sequence now (envelopes; anything else skipped). */
export async function readStream(nc: NatsConnection, stream: string): Promise<StoredEvent[]> {
  const jsm = await jetstreamManager(nc);
  // A stream its producer creates on first use (analytics' erasure answers) may not exist yet: it holds nothing.
  const info = await jsm.streams.info(stream).catch((error: Error) => {
    if (streamMissing(error)) return null;
    throw error;
  });
  if (!info) return [];
  const last = info.state.last_seq;
  const consumer = await jetstream(nc).consumers.get(stream);
  const found: StoredEvent[] = [];
  let seq = 0;
  while (seq < last) {
    // No more than are left, so the last fetch does not wait out its expiry for messages that will not come.
    const batch = await consumer.fetch({ max_messages: Math.min(1_000, last - seq), expires: 2_000 });
    let got = 0;
    for await (const m of batch) {
      got++;
      seq = m.seq;
      try {
        found.push({ ...m.json<EventEnvelope>(), seq: m.seq, storedAt: m.info.timestampNanos / 1e6 });
      } catch {
        // not an envelope (a test's deliberately bad message)
      }
    }
    if (got === 0) break;
  }
  return found;
}

/**
 * Waits until every durable consumer of these streams has nothing pending nor unacknowledged. Right
 * after NATS restarts, JetStream may not answer for a while: such errors mean "not yet", and the last
 * one is named if the time runs out.
 */
export async function consumersSettled(nc: NatsConnection, streams: string[], timeoutMs: number): Promise<number> {
  let lastError: Error | null = null;
  const settled = async (): Promise<boolean> => {
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    for (const stream of streams) {
      try {
        for await (const c of jsm.consumers.list(stream)) {
          if (!c.config.durable_name) continue;
          if (c.num_pending > 0 || c.num_ack_pending > 0) return false;
        }
      } catch (error) {
        if (!streamMissing(error)) throw error; // created on first use: nothing to consume yet
      }
    }
    return true;
  };
  try {
    return await waitUntil(
      () =>
        settled().catch((error: Error) => {
          lastError = error;
          return false;
        }),
      timeoutMs,
      250,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}${lastError ? `; JetStream last answered: ${(lastError as Error).message}` : ''}`);
  }
}

/** An HTTP answer, or `null` when the connection failed (the app was being killed). */
export interface Answer {
  status: number;
  body: any;
}

/**
 * HTTP to the gateway as a client under chaos does it: a 503, a 504 or a failed connection is
 * tried again (the same request, so writes carry their idempotency keys) until `deadlineMs`.
 */
export function patientHttp(base: string, defaultDeadlineMs = 90_000) {
  return async (
    method: string,
    path: string,
    { body, headers = {}, deadlineMs = defaultDeadlineMs }: { body?: unknown; headers?: Record<string, string>; deadlineMs?: number } = {},
  ) => {
    const until = Date.now() + deadlineMs;
    let retries = 0;
    for (;;) {
      const res = await fetch(base + path, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      }).catch(() => null);
      if (res && res.status !== 503 && res.status !== 504) {
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : undefined, retries } as Answer & { retries: number };
      }
      if (Date.now() > until) throw new Error(`${method} ${path}: still ${res?.status ?? 'no answer'} after ${deadlineMs} ms`);
      retries++;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
}
