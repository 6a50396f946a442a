// Schemathesis (PyPI), the API fuzzer the gateway's OpenAPI document is checked with. Installed on
// first need into a virtual environment cached outside the clone, keyed by version:
// ${XDG_CACHE_HOME:-~/.cache}/polystore/schemathesis-<version>/venv.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execute, findExecutable, run } from './proc.ts';

export const SCHEMATHESIS_VERSION = '4.32.5';

function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'polystore', `schemathesis-${SCHEMATHESIS_VERSION}`);
}

/** The `schemathesis` command, installing it first when the cache has none (≈1 min: pip from PyPI). */
export async function schemathesisBinary(log: (line: string) => void = () => {}): Promise<string> {
  const dir = cacheDir();
  const venv = join(dir, 'venv');
  const binary = join(venv, 'bin', 'schemathesis');
  // Written last: a folder without it is an install that did not finish.
  const installed = join(dir, 'installed');
  if (existsSync(installed) && existsSync(binary)) return binary;
  const python = findExecutable('python3');
  if (!python) throw new Error('schemathesis: python3 is missing (Debian: apt-get install python3 python3-venv)');
  log(`schemathesis: installing ${SCHEMATHESIS_VERSION} from PyPI into ${dir} (once)`);
  // A venv's scripts name its own path, so it is built where it stays, from scratch.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const made = await execute(python, ['-m', 'venv', venv]);
    if (made.code !== 0) throw new Error(`schemathesis: python3 -m venv failed (Debian: apt-get install python3-venv):\n${made.output}`);
    await run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`], {
      quiet: true,
      timeoutMs: 10 * 60_000,
    });
    if (!existsSync(binary)) throw new Error(`schemathesis: pip finished but ${binary} is missing`);
    writeFileSync(installed, `${SCHEMATHESIS_VERSION}\n`);
    return binary;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
