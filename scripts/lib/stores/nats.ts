// The stack's NATS server with JetStream (the message bus), from Debian's package: the same four
// verbs as a store's provisioner, for the stack rather than for one service.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { natsAuthorizationBlock } from '../nats-auth.ts';
import { portOpen, readPidFile, startDetached, stopByPidFile, waitUntilReady } from '../proc.ts';
import { natsCredentials, opsNatsOptions, type Stack } from '../stack.ts';
import { ensureCommand } from './debian-packages.ts';
import { NOTHING_STARTED, say, type Started } from './provisioner.ts';

export interface NatsProvisioner {
  /** Starts nats-server unless it answers; one that runs gets the current permissions (reloaded). */
  ensure(s: Stack): Promise<Started>;
  /** Stops the stack's nats-server, found by its pid file. */
  stop(s: Stack): Promise<void>;
  /** Deletes every JetStream stream (and so its consumers). */
  reset(s: Stack): Promise<void>;
  /** Operators' connection options (the `ops` user: tests, benchmarks, resets). */
  connection(s: Stack): { servers: string; user: string; pass: string };
}

export function natsServerBinary(): Promise<string> {
  return ensureCommand('nats-server', 'nats-server', 'NATS with JetStream (the message bus)');
}

const natsDir = (s: Stack) => join(s.dataDir, 'nats');

function natsConfig(s: Stack): string {
  return `server_name: polystore-${s.name}
listen: 127.0.0.1:${s.ports.nats}
http: 127.0.0.1:${s.ports.natsMonitor}
max_payload: 1MB
jetstream {
  store_dir: "${join(natsDir(s), 'jetstream')}"
  max_memory_store: 256MB
  max_file_store: 4GB
}
${natsAuthorizationBlock((app) => JSON.stringify(natsCredentials(s, app).password))}`;
}

export const NATS: NatsProvisioner = {
  async ensure(s) {
    const dir = natsDir(s);
    const conf = join(dir, 'nats.conf');
    // nats-server writes its own pid file (-P).
    const pidFile = join(dir, 'nats.pid');
    if (await portOpen(s.ports.nats)) {
      const wanted = natsConfig(s);
      if (existsSync(conf) && readFileSync(conf, 'utf8') !== wanted) {
        // Same server, new permissions: rewrite the file and ask nats-server to reload it.
        writeFileSync(conf, wanted, { mode: 0o600 });
        const pid = readPidFile(pidFile);
        try {
          if (pid !== null) process.kill(pid, 'SIGHUP');
          say('nats config changed; reloaded');
        } catch {
          // not ours
        }
      }
      say(`nats already up on ${s.ports.nats}; reusing it`);
      return NOTHING_STARTED;
    }
    const binary = await natsServerBinary();
    say(`starting nats-server (JetStream) on 127.0.0.1:${s.ports.nats}`);
    mkdirSync(join(dir, 'jetstream'), { recursive: true });
    writeFileSync(conf, natsConfig(s), { mode: 0o600 });
    const logFile = join(dir, 'nats.log');
    const server = startDetached(binary, ['-c', conf, '-P', pidFile], { logFile });
    const healthz = `http://127.0.0.1:${s.ports.natsMonitor}/healthz?js-enabled-only=true`;
    await waitUntilReady(server, 'nats-server', async () => (await fetch(healthz)).ok, { logFile, timeoutMs: 20_000, intervalMs: 200 });
    return { started: true, stop: () => stopByPidFile(pidFile) };
  },

  stop: (s) => stopByPidFile(join(natsDir(s), 'nats.pid')),

  async reset(s) {
    const { connect } = await import('@nats-io/transport-node');
    const { jetstreamManager } = await import('@nats-io/jetstream');
    const nc = await connect(opsNatsOptions(s));
    try {
      const jsm = await jetstreamManager(nc);
      for await (const info of jsm.streams.list()) await jsm.streams.delete(info.config.name);
    } finally {
      await nc.close();
    }
  },

  connection: (s) => opsNatsOptions(s),
};
