// promtool, Prometheus' own checker of rule files (`check rules`) and runner of rule unit tests
// (`test rules`), built once per machine from the Go module proxy into a cache outside the clone:
// ${XDG_CACHE_HOME:-~/.cache}/polystore/promtool-<version>/promtool. It validates the alerting
// rules docker/prometheus/rules/ holds (generated from the manifest) with the parser and rule
// engine Prometheus itself runs.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { commandFailed, execute, findExecutable } from './proc.ts';

/** Prometheus v3.16's module version; the compose image is prom/prometheus of the same release. */
export const PROMTOOL_VERSION = 'v0.316.0';
const MODULE = 'github.com/prometheus/prometheus/cmd/promtool';

export function promtoolCacheDir(version = PROMTOOL_VERSION): string {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'polystore', `promtool-${version}`);
}

/** The path of a promtool that runs, built on first use (many minutes with a cold Go cache: Prometheus pulls in ~2,000 packages). */
export async function ensurePromtool({ log = (_: string) => {} }: { log?: (msg: string) => void } = {}): Promise<string> {
  if (process.env.POLYSTORE_PROMTOOL_BIN) return process.env.POLYSTORE_PROMTOOL_BIN;
  const binary = join(promtoolCacheDir(), 'promtool');
  if (existsSync(binary) && (await execute(binary, ['--version'], { timeoutMs: 15_000 })).code === 0) return binary;
  const go = process.env.GO || findExecutable('go', ['/usr/local/go/bin', join(homedir(), 'go', 'bin'), join(homedir(), 'sdk', 'go', 'bin')]);
  if (!go) {
    throw new Error(
      `promtool ${PROMTOOL_VERSION} is built from the Go module proxy (${MODULE}) and needs a Go toolchain (≥ 1.24): none found on PATH; set GO to a go binary`,
    );
  }
  const started = Date.now();
  log(`building promtool ${PROMTOOL_VERSION} from the Go module proxy (first run only; several minutes)`);
  const cacheDir = promtoolCacheDir();
  mkdirSync(dirname(cacheDir), { recursive: true });
  // Built beside its final place, so the last step is an atomic rename.
  const work = mkdtempSync(join(dirname(cacheDir), `.promtool-build-${PROMTOOL_VERSION}-`));
  try {
    const finished = await execute(go, ['install', `${MODULE}@${PROMTOOL_VERSION}`], {
      cwd: work,
      env: { GOBIN: work, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
    });
    if (finished.code !== 0) throw commandFailed(finished);
    mkdirSync(cacheDir, { recursive: true });
    renameSync(join(work, 'promtool'), binary);
    log(`built promtool ${PROMTOOL_VERSION} in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`);
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
