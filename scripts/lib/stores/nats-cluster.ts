// A 3-node NATS cluster with JetStream for the scale-out rehearsal (`npm run rehearse`), from a
// current nats-server: v2.15 built once from the Go module proxy into a cache outside the clone,
// ${XDG_CACHE_HOME:-~/.cache}/polystore/nats-server-<version>/nats-server (Debian ships 2.9, from
// 2022, which the single-node stacks keep using). Same users and permissions as the stack's NATS.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { natsAuthorizationBlock } from '../nats-auth.ts';
import { commandFailed, execute, findExecutable, portOpen, startDetached, stopByPidFile, waitUntilReady } from '../proc.ts';
import { natsCredentials, type Stack } from '../stack.ts';

/** The newest v2.15 on the Go module proxy (see /work/.library/env/packages/go-partial.tsv). */
export const NATS_SERVER_VERSION = 'v2.15.2';
const MODULE = 'github.com/nats-io/nats-server/v2';

function cacheDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'polystore', `nats-server-${NATS_SERVER_VERSION}`);
}

/** A nats-server of NATS_SERVER_VERSION, built on first use (a minute or two with a cold Go cache). */
export async function ensureNatsServer({ log = (_: string) => {} }: { log?: (msg: string) => void } = {}): Promise<string> {
  const binary = join(cacheDir(), 'nats-server');
  if (existsSync(binary) && (await execute(binary, ['--version'], { timeoutMs: 15_000 })).code === 0) return binary;
  const go = process.env.GO || findExecutable('go', ['/usr/local/go/bin', join(homedir(), 'go', 'bin'), join(homedir(), 'sdk', 'go', 'bin')]);
  if (!go)
    throw new Error(`nats-server ${NATS_SERVER_VERSION} is built from the Go module proxy (${MODULE}) and needs a Go toolchain: none found; set GO`);
  const started = Date.now();
  log(`building nats-server ${NATS_SERVER_VERSION} from the Go module proxy (first run only)`);
  mkdirSync(dirname(cacheDir()), { recursive: true });
  // Built beside its final place, so the last step is an atomic rename.
  const work = mkdtempSync(join(dirname(cacheDir()), `.nats-server-build-${NATS_SERVER_VERSION}-`));
  try {
    const finished = await execute(go, ['install', `${MODULE}@${NATS_SERVER_VERSION}`], {
      cwd: work,
      env: { GOBIN: work, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
    });
    if (finished.code !== 0) throw commandFailed(finished);
    mkdirSync(cacheDir(), { recursive: true });
    renameSync(join(work, 'nats-server'), binary);
    log(`built nats-server ${NATS_SERVER_VERSION} in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`);
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface NatsNode {
  index: number;
  clientPort: number;
  monitorPort: number;
  routePort: number;
  dir: string;
  pidFile: string;
}

/**
 * The cluster's nodes: ports just above the stack's own NATS port (client +10.., routes +20..,
 * monitoring +30..), clear of every other port of the stack; files under the stack's data folder.
 */
export function natsClusterNodes(s: Stack, size = 3): NatsNode[] {
  return Array.from({ length: size }, (_, index) => {
    const dir = join(s.dataDir, 'nats-cluster', `n${index + 1}`);
    return {
      index,
      clientPort: s.ports.nats + 10 + index,
      routePort: s.ports.nats + 20 + index,
      monitorPort: s.ports.nats + 30 + index,
      dir,
      pidFile: join(dir, 'nats.pid'),
    };
  });
}

/** The URL list the apps are given: every node, so a client fails over to the survivors. */
export const natsClusterUrl = (nodes: NatsNode[]): string => nodes.map((n) => `nats://127.0.0.1:${n.clientPort}`).join(',');

function nodeConfig(s: Stack, node: NatsNode, nodes: NatsNode[]): string {
  const routes = nodes.filter((n) => n !== node).map((n) => `"nats-route://127.0.0.1:${n.routePort}"`);
  return `server_name: polystore-${s.name}-n${node.index + 1}
listen: 127.0.0.1:${node.clientPort}
http: 127.0.0.1:${node.monitorPort}
max_payload: 1MB
jetstream {
  store_dir: "${join(node.dir, 'jetstream')}"
  max_memory_store: 128MB
  max_file_store: 2GB
}
cluster {
  name: polystore-${s.name}
  listen: 127.0.0.1:${node.routePort}
  routes: [${routes.join(', ')}]
}
${natsAuthorizationBlock((app) => JSON.stringify(natsCredentials(s, app).password))}`;
}

/** Starts one node (its data kept: a node started again catches up from the others). */
export async function startNatsNode(s: Stack, binary: string, node: NatsNode, nodes: NatsNode[]): Promise<void> {
  if (await portOpen(node.clientPort))
    throw new Error(
      `port ${node.clientPort} (NATS node ${node.index + 1}) is taken: stop what runs there (npm run rehearse stops its own at the end)`,
    );
  mkdirSync(join(node.dir, 'jetstream'), { recursive: true });
  const conf = join(node.dir, 'nats.conf');
  writeFileSync(conf, nodeConfig(s, node, nodes), { mode: 0o600 });
  const logFile = join(node.dir, 'nats.log');
  const server = startDetached(binary, ['-c', conf, '-P', node.pidFile], { logFile });
  await waitUntilReady(server, `nats node ${node.index + 1}`, () => portOpen(node.clientPort), { logFile, timeoutMs: 30_000, intervalMs: 200 });
}

/** Starts every node, then waits until JetStream has a meta leader (the cluster can create R3 streams). */
export async function startNatsCluster(s: Stack, binary: string, nodes: NatsNode[]): Promise<void> {
  for (const node of nodes) rmSync(node.dir, { recursive: true, force: true });
  await Promise.all(nodes.map((node) => startNatsNode(s, binary, node, nodes)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const healthy = await Promise.all(
      nodes.map((n) =>
        fetch(`http://127.0.0.1:${n.monitorPort}/healthz?js-enabled-only=true`)
          .then((r) => r.ok)
          .catch(() => false),
      ),
    );
    const meta = await fetch(`http://127.0.0.1:${nodes[0].monitorPort}/jsz`)
      .then((r) => r.json() as Promise<{ meta_cluster?: { leader?: string } }>)
      .catch(() => null);
    if (healthy.every(Boolean) && meta?.meta_cluster?.leader) return;
    if (Date.now() > deadline)
      throw new Error('the NATS cluster did not elect a JetStream meta leader within 60 s; see nats.log under nats-cluster/');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

export async function stopNatsCluster(nodes: NatsNode[]): Promise<void> {
  await Promise.all(nodes.map((node) => stopByPidFile(node.pidFile)));
}
