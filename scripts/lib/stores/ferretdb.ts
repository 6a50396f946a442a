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
import { spawn, execFile } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

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
      '\t\t// don\'t change the default eq query',
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

function applySourcePatches(src, log) {
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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function execFileText(cmd, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      if (error) {
        error.message = `${cmd} ${args.join(' ')} failed: ${error.message}\n${String(stderr).trim().split('\n').slice(-30).join('\n')}`;
        reject(error);
      } else resolvePromise({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export function ferretdbCacheDir(version = FERRETDB_VERSION) {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'polystore', `ferretdb-${version}-${FERRETDB_PATCH_LEVEL}`);
}

function findGo() {
  if (process.env.GO) return process.env.GO;
  const dirs = (process.env.PATH || '').split(delimiter).filter(Boolean);
  dirs.push('/usr/local/go/bin', join(homedir(), 'go', 'bin'), join(homedir(), 'sdk', 'go', 'bin'));
  for (const dir of dirs) {
    const candidate = join(dir, 'go');
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there
    }
  }
  return null;
}

async function debianGoCandidate() {
  try {
    const { stdout } = await execFileText('apt-cache', ['policy', 'golang-go']);
    return /Candidate:\s*(\S+)/.exec(stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}

async function goMissingError(found) {
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

async function goVersion(go) {
  try {
    const { stdout } = await execFileText(go, ['env', 'GOVERSION'], { env: { ...process.env, GOTOOLCHAIN: 'local' } });
    const m = /^go(\d+)\.(\d+)/.exec(stdout.trim());
    return m ? { text: stdout.trim(), major: Number(m[1]), minor: Number(m[2]) } : null;
  } catch {
    return null;
  }
}

/** `ferretdb --version` prints "version: vX.Y.Z"; returns it, or null when the binary does not run. */
async function binaryVersion(binary) {
  try {
    const { stdout } = await execFileText(binary, ['--version'], { timeout: 15_000 });
    return /^version:\s*(\S+)/m.exec(stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}

function makeWritable(path) {
  const st = statSync(path);
  chmodSync(path, st.mode | 0o200);
  if (st.isDirectory()) for (const entry of readdirSync(path)) makeWritable(join(path, entry));
}

/** Removes what builds that were killed mid-way left behind (not recent ones: they may be running). */
function removeStaleBuildDirs(parent) {
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
export async function ensureFerretdbBinary({ log = () => {}, version = FERRETDB_VERSION } = {}) {
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
  const env = {
    ...process.env,
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local', // never download another toolchain
    CGO_ENABLED: '0', // FerretDB's SQLite is pure Go (modernc.org/sqlite): static binary, no C compiler needed
  };
  try {
    log(`  fetching ${FERRETDB_MODULE}@${version}`);
    const { stdout } = await execFileText(go, ['mod', 'download', '-json', `${FERRETDB_MODULE}@${version}`], {
      cwd: work,
      env,
    });
    const info = JSON.parse(stdout);
    if (info.Error || !info.Dir) throw new Error(`go mod download ${FERRETDB_MODULE}@${version}: ${info.Error || 'no Dir'}`);

    const src = join(work, 'src');
    cpSync(info.Dir, src, { recursive: true });
    makeWritable(src); // the module cache is read-only
    writeFileSync(join(src, 'build', 'version', 'version.txt'), `${version}\n`);
    writeFileSync(join(src, 'build', 'version', 'package.txt'), `polystore-source-build-${FERRETDB_PATCH_LEVEL}\n`);
    applySourcePatches(src, log);

    log('  compiling (go build ./cmd/ferretdb; dependencies come from the Go module proxy)');
    const tmpBinary = join(work, 'ferretdb');
    await execFileText(go, ['build', '-trimpath', '-buildvcs=false', '-o', tmpBinary, './cmd/ferretdb'], {
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

// ---------------------------------------------------------------- a real `hello` over the wire

const OP_MSG = 2013;

function bsonCString(s) {
  return Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
}

/** Encodes a flat document of int32 / string values (all a `hello` needs). */
function bsonDocument(fields) {
  const parts = [];
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'number') {
      const v = Buffer.alloc(4);
      v.writeInt32LE(value);
      parts.push(Buffer.from([0x10]), bsonCString(key), v);
    } else {
      const str = Buffer.from(String(value), 'utf8');
      const len = Buffer.alloc(4);
      len.writeInt32LE(str.length + 1);
      parts.push(Buffer.from([0x02]), bsonCString(key), len, str, Buffer.from([0]));
    }
  }
  const body = Buffer.concat(parts);
  const size = Buffer.alloc(4);
  size.writeInt32LE(4 + body.length + 1);
  return Buffer.concat([size, body, Buffer.from([0])]);
}

/** Reads the top-level scalar fields of a BSON document (nested values are skipped). */
function bsonTopLevel(buf) {
  const out = {};
  let i = 4;
  const end = buf.readInt32LE(0) - 1;
  while (i < end) {
    const type = buf[i++];
    const keyEnd = buf.indexOf(0, i);
    const key = buf.toString('utf8', i, keyEnd);
    i = keyEnd + 1;
    switch (type) {
      case 0x01: out[key] = buf.readDoubleLE(i); i += 8; break;
      case 0x02: { const n = buf.readInt32LE(i); out[key] = buf.toString('utf8', i + 4, i + 4 + n - 1); i += 4 + n; break; }
      case 0x03: case 0x04: i += buf.readInt32LE(i); break;
      case 0x05: i += 4 + 1 + buf.readInt32LE(i); break;
      case 0x07: i += 12; break;
      case 0x08: out[key] = buf[i] === 1; i += 1; break;
      case 0x09: case 0x11: case 0x12: out[key] = type === 0x12 ? Number(buf.readBigInt64LE(i)) : undefined; i += 8; break;
      case 0x0a: out[key] = null; break;
      case 0x10: out[key] = buf.readInt32LE(i); i += 4; break;
      case 0x13: i += 16; break;
      default: return out; // a type `hello` never returns at top level; stop reading
    }
  }
  return out;
}

/**
 * Sends `{hello: 1, $db: "admin"}` as an OP_MSG and returns the reply's top-level fields
 * (ok, maxWireVersion, …). Rejects when nothing answers as a MongoDB server would.
 */
export function helloOverWire(port, host = '127.0.0.1', timeoutMs = 2000) {
  return new Promise((resolvePromise, reject) => {
    const doc = bsonDocument({ hello: 1, $db: 'admin' });
    const header = Buffer.alloc(16);
    const requestId = (Math.random() * 0x7fffffff) | 0;
    header.writeInt32LE(16 + 4 + 1 + doc.length, 0);
    header.writeInt32LE(requestId, 4);
    header.writeInt32LE(0, 8);
    header.writeInt32LE(OP_MSG, 12);
    const message = Buffer.concat([header, Buffer.alloc(4) /* flagBits */, Buffer.from([0]) /* section kind 0 */, doc]);

    const socket = createConnection({ port, host });
    let received = Buffer.alloc(0);
    const fail = (error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no hello reply from ${host}:${port} within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.once('connect', () => socket.write(message));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < received.readInt32LE(0)) return;
      socket.destroy();
      try {
        if (received.readInt32LE(12) !== OP_MSG || received.readInt32LE(8) !== requestId) {
          throw new Error('the reply is not an OP_MSG answering our hello');
        }
        const reply = bsonTopLevel(received.subarray(21));
        if (reply.ok !== 1) throw new Error(`hello answered ok=${reply.ok}: ${reply.errmsg ?? ''}`);
        resolvePromise(reply);
      } catch (error) {
        reject(error);
      }
    });
    socket.once('end', () => fail(new Error(`${host}:${port} closed the connection without a full hello reply`)));
  });
}

// ---------------------------------------------------------------- process

function alive(pid) {
  try {
    process.kill(pid, 0);
    // a zombie still "exists" for kill(0); /proc says whether it has really exited
    try {
      return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return true;
    }
  } catch {
    return false;
  }
}

function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** `--name=value` / `--name value` / `--flag` → name, so extraArgs can override our defaults. */
function flagName(arg) {
  return arg.startsWith('--') ? arg.slice(2).split('=')[0].replace(/^no-/, '') : null;
}

/**
 * Starts ferretdb detached (stdout/stderr to logFile, pid in dataDir/ferretdb.pid), with the
 * SQLite handler keeping its data in dataDir/sqlite/, and waits until it answers a real `hello`.
 * extraArgs are appended and override the defaults of the same flag (e.g.
 * ['--handler=postgresql', '--postgresql-url=postgres://…'], or the auth flags).
 * Returns { pid, hello, stop }.
 */
export async function startFerretdb({ binary, port, dataDir, logFile, extraArgs = [], timeoutMs = 30_000 }) {
  if (!binary || !port || !dataDir) throw new Error('startFerretdb needs { binary, port, dataDir }');
  dataDir = resolve(dataDir);
  logFile = resolve(logFile ?? join(dataDir, 'ferretdb.log'));
  const sqliteDir = join(dataDir, 'sqlite');
  mkdirSync(sqliteDir, { recursive: true });
  mkdirSync(dirname(logFile), { recursive: true });
  const pidFile = join(dataDir, 'ferretdb.pid');

  try {
    await helloOverWire(port, '127.0.0.1', 500);
    throw new Error(`something already answers MongoDB hello on 127.0.0.1:${port} (a ferretdb left running? see ${pidFile})`);
  } catch (error) {
    if (error.message.startsWith('something already answers')) throw error;
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

  const out = openSync(logFile, 'a');
  let child;
  try {
    child = spawn(binary, args, { cwd: dataDir, detached: true, stdio: ['ignore', out, out] });
  } finally {
    closeSync(out);
  }
  const { pid } = child;
  if (!pid) throw new Error(`could not start ${binary}`);
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  child.unref();
  writeFileSync(pidFile, `${pid}\n`);

  const stop = async ({ timeoutMs: stopTimeout = 10_000 } = {}) => {
    if (exited === null && alive(pid)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const deadline = Date.now() + stopTimeout;
      while (exited === null && alive(pid) && Date.now() < deadline) await sleep(50);
      if (exited === null && alive(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
        while (exited === null && alive(pid)) await sleep(50);
      }
    }
    try {
      if (readFileSync(pidFile, 'utf8').trim() === String(pid)) rmSync(pidFile, { force: true });
    } catch {
      // no pid file
    }
  };

  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    if (exited !== null || !alive(pid)) {
      rmSync(pidFile, { force: true });
      throw new Error(
        `ferretdb exited during start-up (${exited ? exited.code ?? exited.signal : 'gone'}); ${logFile}:\n${tail(logFile)}`,
      );
    }
    try {
      const hello = await helloOverWire(port);
      return { pid, hello, stop };
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`ferretdb did not answer hello on 127.0.0.1:${port} within ${timeoutMs} ms (${lastError?.message}); ${logFile}:\n${tail(logFile)}`);
    }
    await sleep(100);
  }
}
