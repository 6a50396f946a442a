// Jaeger: the local trace backend `npm start` runs. The apps export OTLP/HTTP to it; its query
// API answers `npm run trace`.
//
// Built once per machine from the Go module proxy (github.com/jaegertracing/jaeger/cmd/jaeger,
// Jaeger v2, module version v1.76.0) into ${XDG_CACHE_HOME:-~/.cache}/polystore/jaeger-<version>/,
// the same way FerretDB is (scripts/lib/stores/ferretdb.ts). A build from the module has no web
// UI: the UI's assets are built by a separate JavaScript project and are not in the module, so the
// binary serves a placeholder page on its query port. Traces are read through its query API
// (/api/v3/traces/<trace id>, OTLP JSON) — what `npm run trace` prints as a tree.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { commandFailed, execute, portOpen, readPidFile, processAlive, startDetached, stopByPidFile, waitUntilReady } from './proc.ts';
import type { Stack } from './stack.ts';
import { findGo, goVersion } from './stores/ferretdb.ts';

type Log = (msg: string) => void;

export const JAEGER_MODULE = 'github.com/jaegertracing/jaeger';
export const JAEGER_VERSION = 'v1.76.0';

export function jaegerCacheDir(version = JAEGER_VERSION): string {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'polystore', `jaeger-${version}`);
}

async function output(cmd: string, args: string[], options: Parameters<typeof execute>[2] = {}): Promise<string> {
  const finished = await execute(cmd, args, options);
  if (finished.code !== 0) throw commandFailed(finished);
  return finished.stdout;
}

/** Whether the jaeger binary is built already (then starting it takes seconds, not minutes). */
export function jaegerBinaryCached(): boolean {
  return existsSync(join(jaegerCacheDir(), 'jaeger'));
}

/**
 * The path of the jaeger binary, building it on first use: a throw-away module requiring
 * `${JAEGER_MODULE}@${JAEGER_VERSION}` (so its dependencies are the release's own), then
 * `go build` of cmd/jaeger. About 8 CPU-minutes with a cold Go build cache.
 */
export async function ensureJaegerBinary({ log = () => {} }: { log?: Log } = {}): Promise<string> {
  const cacheDir = jaegerCacheDir();
  const binary = join(cacheDir, 'jaeger');
  if (existsSync(binary)) return binary;
  const go = findGo();
  const version = go ? await goVersion(go) : null;
  if (!go || !version) throw new Error('Jaeger is built from the Go module proxy and needs Go (≥ 1.24) on PATH, or GO pointing at a go binary');
  mkdirSync(dirname(cacheDir), { recursive: true });
  const work = mkdtempSync(join(dirname(cacheDir), `.jaeger-build-${JAEGER_VERSION}-`));
  const env = { GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
  const started = Date.now();
  try {
    log(`building Jaeger ${JAEGER_VERSION} from the Go module proxy with ${version.text} (first run only; several minutes on 2 cores)`);
    await output(go, ['mod', 'init', 'polystore.local/jaeger-build'], { cwd: work, env });
    await output(go, ['get', `${JAEGER_MODULE}/cmd/jaeger@${JAEGER_VERSION}`], { cwd: work, env });
    const built = join(work, 'jaeger');
    await output(go, ['build', '-trimpath', '-buildvcs=false', '-o', built, `${JAEGER_MODULE}/cmd/jaeger`], { cwd: work, env });
    mkdirSync(cacheDir, { recursive: true });
    renameSync(built, binary);
    log(`built Jaeger in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`);
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Jaeger v2's configuration: OTLP/HTTP in, traces kept in memory, the query API; all on loopback, on the stack's ports. */
function jaegerConfig(s: Stack): string {
  return `# Written by scripts/lib/jaeger.ts for the ${s.name} stack; rewritten at each start.
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    logs:
      level: warn
    metrics:
      level: none
extensions:
  jaeger_query:
    storage:
      traces: memory_store
    http:
      endpoint: 127.0.0.1:${s.ports.jaegerQuery}
    grpc:
      endpoint: 127.0.0.1:0
  jaeger_storage:
    backends:
      memory_store:
        memory:
          max_traces: 50000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${s.ports.jaegerOtlp}
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: memory_store
`;
}

export interface RunningJaeger {
  /** OTEL_EXPORTER_OTLP_ENDPOINT for the apps. */
  otlpEndpoint: string;
  queryUrl: string;
  /** Stops it if this call started it. */
  stop(): Promise<void>;
}

export const jaegerQueryUrl = (s: Stack) => `http://127.0.0.1:${s.ports.jaegerQuery}`;
/** Where the stack's Jaeger receives OTLP/HTTP (known before it runs: the apps can be pointed at it while it builds). */
export const jaegerOtlpEndpoint = (s: Stack) => `http://127.0.0.1:${s.ports.jaegerOtlp}`;

/** Starts the stack's Jaeger unless it runs already (then reuses it); data lives in memory only. */
export async function ensureJaeger(s: Stack, { log = () => {} }: { log?: Log } = {}): Promise<RunningJaeger> {
  const dir = join(s.dataDir, 'jaeger');
  const pidFile = join(dir, 'jaeger.pid');
  const running: Omit<RunningJaeger, 'stop'> = { otlpEndpoint: jaegerOtlpEndpoint(s), queryUrl: jaegerQueryUrl(s) };
  const pid = readPidFile(pidFile);
  if (pid !== null && processAlive(pid) && (await portOpen(s.ports.jaegerQuery))) {
    log(`jaeger already up (query on ${running.queryUrl}); reusing it`);
    return { ...running, stop: async () => {} };
  }
  const binary = await ensureJaegerBinary({ log });
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'jaeger.yaml');
  writeFileSync(config, jaegerConfig(s));
  log(`starting jaeger: OTLP/HTTP on ${running.otlpEndpoint}, query API on ${running.queryUrl}`);
  const proc = startDetached(binary, [`--config=file:${config}`], { logFile: join(dir, 'jaeger.log'), pidFile });
  await waitUntilReady(proc, 'jaeger', async () => (await fetch(`${running.queryUrl}/api/services`).catch(() => null))?.ok === true, {
    logFile: join(dir, 'jaeger.log'),
    timeoutMs: 60_000,
  });
  return { ...running, stop: () => stopByPidFile(pidFile) };
}
