// FerretDB: the MongoDB-wire-protocol server behind the `messaging` service.
//
// Why it is built here: no reachable package registry ships a MongoDB server (Debian dropped
// it for licensing reasons; npm/PyPI/Maven only have drivers or downloaders that fetch from
// vendor sites we cannot reach). FerretDB 1.x speaks the MongoDB wire protocol on top of
// SQLite or PostgreSQL and is a Go module, so we build it from the Go module proxy, once per
// machine, into a cache outside the repo: ${XDG_CACHE_HOME:-~/.cache}/polystore/ferretdb-<version>-<patch level>/.
//
// Building: `go install …/cmd/ferretdb@v1.24.2` (or `go build` of it from a wrapper module)
// gives a binary that panics at start: when the main package lives in FerretDB's own module it
// insists on a generated build/version/version.txt, which the module zip does not contain. So we
// copy the module's source out of Go's module cache, write that file, and build there (with
// FerretDB's own go.mod/go.sum, so the dependency versions are exactly the release's).
//
// Two patches are applied before building (SOURCE_PATCHES below), both so that a lookup by `_id`
// uses the `_id` index FerretDB creates for every collection (unpatched, each read the whole table):
// - SQLite: the index is built on `_ferretdb_sjson->"_id"` but lookups used `->'$._id'`, an
//   expression SQLite does not recognise as the indexed one;
// - PostgreSQL: the index is a btree on `_jsonb->'_id'` but lookups used jsonb containment
//   (`_jsonb->$1 @> $2`), which a btree cannot answer; for a string/ObjectId/date `_id`, equality
//   (`_jsonb->'_id' = $n`) means the same and the btree serves it.
// Nothing else changes. The binary's cache folder names the patch level, so a patched build never
// mixes with another.
//
// Limits of FerretDB 1.x to design for: no multi-document transactions, no $lookup, no
// TTL/partial/collation/text indexes; authentication only with --test-enable-new-auth (SCRAM),
// and then any authenticated user may use every database (roles must be empty: no authorization).
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Document } from 'mongodb';
import { commandFailed, execute, findExecutable, portOpen, startDetached, waitUntilReady, type RunOptions } from '../proc.ts';

type Log = (msg: string) => void;

export const FERRETDB_VERSION = 'v1.24.2';
/** Bumped whenever SOURCE_PATCHES change: part of the cache folder's name. */
export const FERRETDB_PATCH_LEVEL = 'polystore.2';

/**
 * Exact text replacements in FerretDB's source; a build stops if a `from` is not found once
 * (another FerretDB version needs the patch looked at again, not silently skipped).
 */
const SOURCE_PATCHES = [
  {
    why: 'SQLite: look `_id` up with the expression its unique index is built on, so the index serves it',
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: `IDColumn = DefaultColumn + "->'_id'"`,
  },
  {
    why: 'PostgreSQL: look a string/ObjectId/date `_id` up by equality on the expression its btree index is built on',
    file: 'internal/backends/postgresql/query.go',
    from: [
      '\tcase string, types.ObjectID, time.Time:',
      '\t\t// merge with the case below?',
      '\t\t// TODO https://github.com/FerretDB/FerretDB/issues/3626',
      '',
      "\t\t// don't change the default eq query",
    ].join('\n'),
    to: [
      '\tcase string, types.ObjectID, time.Time:',
      '\t\tif k == "_id" {',
      '\t\t\t// polystore: `=` on the literal path is what the _id btree index answers (`@>` is not)',
      "\t\t\tfilter = fmt.Sprintf(`%s->'_id' = %s`, metadata.DefaultColumn, p.Next())",
      '\t\t\targs = append(args, string(must.NotFail(sjson.MarshalSingleValue(v))))',
      '',
      '\t\t\tbreak',
      '\t\t}',
      '',
      "\t\t// don't change the default eq query",
    ].join('\n'),
  },
];

function applySourcePatches(src: string, log: Log): void {
  for (const patch of SOURCE_PATCHES) {
    const file = join(src, patch.file);
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf(patch.from);
    if (at < 0 || text.indexOf(patch.from, at + 1) >= 0) {
      throw new Error(`FerretDB source patch does not apply to ${patch.file} (${patch.why}): expected exactly one \`${patch.from}\``);
    }
    writeFileSync(file, text.replace(patch.from, patch.to));
    log(`  patched ${patch.file}: ${patch.why}`);
  }
}
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
/** The `go` directive of FerretDB v1.24.2's go.mod. */
const GO_MIN = [1, 24];

/** Runs a command for its stdout; rejects with the end of its output when it fails. */
async function stdoutOf(cmd: string, args: string[], options: RunOptions = {}): Promise<string> {
  const finished = await execute(cmd, args, options);
  if (finished.code !== 0) throw commandFailed(finished);
  return finished.stdout;
}

export function ferretdbCacheDir(version: string = FERRETDB_VERSION): string {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'polystore', `ferretdb-${version}-${FERRETDB_PATCH_LEVEL}`);
}

export function findGo(): string | null {
  if (process.env.GO) return process.env.GO;
  return findExecutable('go', ['/usr/local/go/bin', join(homedir(), 'go', 'bin'), join(homedir(), 'sdk', 'go', 'bin')]);
}

async function debianGoCandidate(): Promise<string | null> {
  try {
    const stdout = await stdoutOf('apt-cache', ['policy', 'golang-go']);
    return /Candidate:\s*(\S+)/.exec(stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}

async function goMissingError(found: string): Promise<Error> {
  const need = `Go >= ${GO_MIN.join('.')}`;
  const candidate = await debianGoCandidate();
  const debian =
    candidate && candidate !== '(none)'
      ? `Debian's golang-go package is ${candidate} here, too old for it; `
      : `Debian 12's golang-go package (1.19) is too old for it; `;
  return new Error(
    `FerretDB ${FERRETDB_VERSION} is built from the Go module proxy and needs ${need} ` +
      `(its go.mod says go ${GO_MIN.join('.')}), but ${found}. ` +
      debian +
      `install the official Go ${GO_MIN.join('.')} or newer toolchain (e.g. unpacked to /usr/local/go, ` +
      `with /usr/local/go/bin on PATH), or point the GO environment variable at such a go binary.`,
  );
}

export async function goVersion(go: string): Promise<{ text: string; major: number; minor: number } | null> {
  try {
    const stdout = await stdoutOf(go, ['env', 'GOVERSION'], { env: { GOTOOLCHAIN: 'local' } });
    const m = /^go(\d+)\.(\d+)/.exec(stdout.trim());
    return m ? { text: stdout.trim(), major: Number(m[1]), minor: Number(m[2]) } : null;
  } catch {
    return null;
  }
}

/** `ferretdb --version` prints "version: vX.Y.Z"; returns it, or null when the binary does not run. */
async function binaryVersion(binary: string): Promise<string | null> {
  try {
    const stdout = await stdoutOf(binary, ['--version'], { timeoutMs: 15_000 });
    return /^version:\s*(\S+)/m.exec(stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}

function makeWritable(path: string): void {
  const st = statSync(path);
  chmodSync(path, st.mode | 0o200);
  if (st.isDirectory()) for (const entry of readdirSync(path)) makeWritable(join(path, entry));
}

/** Removes what builds that were killed mid-way left behind (not recent ones: they may be running). */
function removeStaleBuildDirs(parent: string): void {
  for (const entry of readdirSync(parent)) {
    if (!entry.startsWith('.ferretdb-build-')) continue;
    const path = join(parent, entry);
    try {
      if (Date.now() - statSync(path).mtimeMs > 60 * 60 * 1000) rmSync(path, { recursive: true, force: true });
    } catch {
      // raced with another cleaner
    }
  }
}

/**
 * Returns the absolute path of a working ferretdb binary, building it on first use
 * (≈1–2 min on 2 cores with a cold Go cache; Go's module and build caches stay where Go keeps them).
 */
export async function ensureFerretdbBinary({ log = () => {}, version = FERRETDB_VERSION }: { log?: Log; version?: string } = {}): Promise<string> {
  const cacheDir = ferretdbCacheDir(version);
  const binary = join(cacheDir, 'ferretdb');
  if (existsSync(binary) && (await binaryVersion(binary)) === version) return binary;

  const go = findGo();
  if (!go) throw await goMissingError('no `go` command was found on PATH');
  const gv = await goVersion(go);
  if (!gv) throw await goMissingError(`\`${go} env GOVERSION\` did not answer`);
  if (gv.major < GO_MIN[0] || (gv.major === GO_MIN[0] && gv.minor < GO_MIN[1])) {
    throw await goMissingError(`${go} is ${gv.text}`);
  }

  const started = Date.now();
  log(`building FerretDB ${version} from the Go module proxy with ${gv.text} (first run only, ~1-2 min)`);
  // The temp dir sits beside the final place, so the last step is an atomic rename on one file system.
  mkdirSync(dirname(cacheDir), { recursive: true });
  removeStaleBuildDirs(dirname(cacheDir));
  const work = mkdtempSync(join(dirname(cacheDir), `.ferretdb-build-${version}-`));
  // Added to this process's environment.
  const env = {
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local', // never download another toolchain
    CGO_ENABLED: '0', // FerretDB's SQLite is pure Go (modernc.org/sqlite): static binary, no C compiler needed
  };
  try {
    log(`  fetching ${FERRETDB_MODULE}@${version}`);
    const stdout = await stdoutOf(go, ['mod', 'download', '-json', `${FERRETDB_MODULE}@${version}`], {
      cwd: work,
      env,
    });
    const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
    if (info.Error || !info.Dir) throw new Error(`go mod download ${FERRETDB_MODULE}@${version}: ${info.Error || 'no Dir'}`);

    const src = join(work, 'src');
    cpSync(info.Dir, src, { recursive: true });
    makeWritable(src); // the module cache is read-only
    writeFileSync(join(src, 'build', 'version', 'version.txt'), `${version}\n`);
    writeFileSync(join(src, 'build', 'version', 'package.txt'), `polystore-source-build-${FERRETDB_PATCH_LEVEL}\n`);
    applySourcePatches(src, log);

    log('  compiling (go build ./cmd/ferretdb; dependencies come from the Go module proxy)');
    const tmpBinary = join(work, 'ferretdb');
    await stdoutOf(go, ['build', '-trimpath', '-buildvcs=false', '-o', tmpBinary, './cmd/ferretdb'], {
      cwd: src,
      env,
    });
    const built = await binaryVersion(tmpBinary);
    if (built !== version) throw new Error(`the freshly built ferretdb reports version ${built ?? '(it did not run)'}, expected ${version}`);

    mkdirSync(cacheDir, { recursive: true });
    renameSync(tmpBinary, binary);
    log(`built FerretDB ${version} in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`);
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- the server

/**
 * Sends `hello` (with the MongoDB driver, as the service would) and returns the reply. Rejects
 * when nothing answers as a MongoDB server would within timeoutMs.
 */
export async function mongoHello(port: number, timeoutMs = 2000): Promise<Document> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
  });
  try {
    const reply = await client.db('admin').command({ hello: 1 });
    if (reply.ok !== 1) throw new Error(`hello answered ok=${reply.ok}: ${reply.errmsg ?? ''}`);
    return reply;
  } finally {
    await client.close();
  }
}

/** `--name=value` / `--name value` / `--flag` → name, so extraArgs can override our defaults. */
function flagName(arg: string): string | null {
  return arg.startsWith('--') ? arg.slice(2).split('=')[0].replace(/^no-/, '') : null;
}

export interface StartFerretdbOptions {
  binary: string;
  port: number;
  dataDir: string;
  logFile?: string;
  extraArgs?: string[];
  timeoutMs?: number;
}

export interface RunningFerretdb {
  pid: number;
  hello: Document;
  stop(): Promise<void>;
}

/**
 * Starts ferretdb detached (stdout/stderr to logFile, pid in dataDir/ferretdb.pid), with the
 * SQLite handler keeping its data in dataDir/sqlite/, and waits until it answers a real `hello`.
 * extraArgs are appended and override the defaults of the same flag (e.g.
 * ['--handler=postgresql', '--postgresql-url=postgres://…'], or the auth flags).
 */
export async function startFerretdb({
  binary,
  port,
  dataDir,
  logFile,
  extraArgs = [],
  timeoutMs = 30_000,
}: StartFerretdbOptions): Promise<RunningFerretdb> {
  if (!binary || !port || !dataDir) throw new Error('startFerretdb needs { binary, port, dataDir }');
  dataDir = resolve(dataDir);
  logFile = resolve(logFile ?? join(dataDir, 'ferretdb.log'));
  const sqliteDir = join(dataDir, 'sqlite');
  mkdirSync(sqliteDir, { recursive: true });
  mkdirSync(dirname(logFile), { recursive: true });
  const pidFile = pidFileOf(dataDir);

  if (
    (await portOpen(port)) &&
    (await mongoHello(port, 500).then(
      () => true,
      () => false,
    ))
  ) {
    throw new Error(`something already answers MongoDB hello on 127.0.0.1:${port} (a ferretdb left running? see ${pidFile})`);
  }

  const defaults = [
    '--handler=sqlite',
    `--sqlite-url=${pathToFileURL(sqliteDir + '/').href}`,
    `--listen-addr=127.0.0.1:${port}`,
    '--telemetry=disable',
    `--state-dir=${dataDir}`, // state.json (instance UUID, telemetry choice); default is the cwd
    '--debug-addr=-', // else every instance wants the metrics/pprof port 127.0.0.1:8088
    '--log-format=text',
  ];
  const overridden = new Set(extraArgs.map(flagName).filter(Boolean));
  const args = [...defaults.filter((a) => !overridden.has(flagName(a))), ...extraArgs];

  const server = startDetached(binary, args, { cwd: dataDir, logFile, pidFile });
  let hello: Document = {};
  const answers = async () => {
    // The driver waits out its whole timeout for a port nobody listens on yet: ask only once one does.
    if (!(await portOpen(port))) return false;
    hello = await mongoHello(port);
    return true;
  };
  await waitUntilReady(server, `ferretdb on 127.0.0.1:${port}`, answers, { logFile, timeoutMs });
  return { pid: server.pid, hello, stop: () => server.stop() };
}

export const pidFileOf = (dataDir: string): string => join(resolve(dataDir), 'ferretdb.pid');
