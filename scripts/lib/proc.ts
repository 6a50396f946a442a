// Small helpers for the project's scripts: run a command, wait for a port or URL.
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunOptions {
  env?: Record<string, string | undefined>;
  quiet?: boolean;
  cwd?: string;
  input?: string;
}

/** Runs a command to completion; resolves with its output (when quiet), rejects with it when it fails. */
export function run(cmd: string, args: string[], { env = {}, quiet = false, cwd = ROOT, input }: RunOptions = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    if (input !== undefined) child.stdin?.end(input);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise(output);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}${output ? `\n${output.trim()}` : ''}`));
    });
  });
}

/** Like run, but returns { code, output } instead of rejecting. */
export async function tryRun(cmd: string, args: string[], options: RunOptions = {}): Promise<{ code: number; output: string }> {
  try {
    return { code: 0, output: await run(cmd, args, { quiet: true, ...options }) };
  } catch (error) {
    return { code: 1, output: (error as Error).message };
  }
}

export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = createConnection({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns truthy or the deadline passes. */
export async function waitFor(
  what: string,
  check: () => unknown,
  { timeoutMs = 30_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: Error | undefined;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error as Error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
}

/** True when this module is the script Node was started with. */
export const isMain = (importMetaUrl: string): boolean => importMetaUrl === `file://${process.argv[1]}`;
