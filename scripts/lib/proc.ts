// Small helpers for the project's scripts: run a command, find one, wait for a port or URL, and
// start, watch and stop the detached server processes of a local stack.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** As root, the scripts install missing Debian packages and run PostgreSQL as the `postgres` user. */
export const isRoot = process.getuid?.() === 0;

export interface RunOptions {
  env?: Record<string, string | undefined>;
  quiet?: boolean;
  cwd?: string;
  input?: string;
  /** Kills the command (SIGKILL) when it has not finished after this long. */
  timeoutMs?: number;
}

/** How a command ended. `output` is stdout and stderr as they came (empty unless quiet). */
export interface Finished {
  /** The exit code; 127 (as in a shell) when the command could not be started at all. */
  code: number;
  stdout: string;
  output: string;
  /** `<cmd> <args> exited with <code or signal>` (or could not start: …), for error messages. */
  summary: string;
}

/** Runs a command to completion and says how it ended; never rejects. */
export function execute(cmd: string, args: string[], { env = {}, quiet = true, cwd = ROOT, input, timeoutMs }: RunOptions = {}): Promise<Finished> {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    });
    let stdout = '';
    let output = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
      output += d;
    });
    child.stderr?.on('data', (d) => (output += d));
    if (input !== undefined) child.stdin?.end(input);
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const finish = (code: number, how: string) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, output, summary: `${[cmd, ...args].join(' ')} ${how}` });
    };
    child.on('error', (error) => finish(127, `could not start: ${error.message}`));
    // 'close', not 'exit': the exit can come before the last of the output is read from the pipes
    // (under load `java -version` read as empty, and `command -v` gave an empty path).
    child.on('close', (code, signal) => finish(code ?? 1, `exited with ${code ?? signal}`));
  });
}

/**
 * Runs a command to completion; resolves with its output (when quiet), rejects with the end of it
 * when it fails.
 */
export async function run(cmd: string, args: string[], options: RunOptions = {}): Promise<string> {
  const finished = await execute(cmd, args, { quiet: false, ...options });
  if (finished.code !== 0) throw commandFailed(finished);
  return finished.output;
}

/** The error for a command that failed: how it ended, and the end of its output. */
export function commandFailed(finished: Finished): Error {
  const end = finished.output.trim().split('\n').slice(-40).join('\n');
  return new Error(`${finished.summary}${end ? `\n${end}` : ''}`);
}

/** Like run (quiet), but returns { code, output } instead of rejecting. */
export async function tryRun(cmd: string, args: string[], options: RunOptions = {}): Promise<{ code: number; output: string }> {
  const { code, output } = await execute(cmd, args, { quiet: true, ...options });
  return { code, output };
}

/** The executable `name` on PATH (or in one of `moreDirs`), or null. */
export function findExecutable(name: string, moreDirs: string[] = []): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...moreDirs];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there
    }
  }
  return null;
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

// ---------------------------------------------------------------- server processes

/** The last `lines` lines of a log file (read from its last 64 kB), or '' when there is none. */
export function logTail(file: string, lines = 30): string {
  try {
    const size = statSync(file).size;
    const buffer = Buffer.alloc(Math.min(64 * 1024, size));
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    } finally {
      closeSync(fd);
    }
    return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Whether a process runs. A zombie (exited, not yet reaped by its parent) does not. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

/** The pid a pid file names, or null when there is no such file (or it names none). */
export function readPidFile(pidFile: string): number | null {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** SIGTERM (servers close cleanly on it), then SIGKILL when the process is still there after graceMs. */
export async function stopProcess(pid: number, { graceMs = 10_000 }: { graceMs?: number } = {}): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  if (!processAlive(pid)) return;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (processAlive(pid) && Date.now() < deadline) await sleep(50);
  if (!processAlive(pid)) return;
  signal('SIGKILL');
  while (processAlive(pid)) await sleep(50);
}

/** Removes a pid file if it still names `pid` (a server started since has written its own). */
function removePidFile(pidFile: string, pid: number): void {
  if (readPidFile(pidFile) === pid) rmSync(pidFile, { force: true });
}

/** Stops the process a pid file names (`npm run infra:down`), and removes the file. */
export async function stopByPidFile(pidFile: string, options: { graceMs?: number } = {}): Promise<void> {
  const pid = readPidFile(pidFile);
  if (pid === null) return;
  await stopProcess(pid, options);
  removePidFile(pidFile, pid);
}

/** A server started by startDetached: it outlives this process unless stopped. */
export interface DetachedProcess {
  pid: number;
  /** Null while it runs; its exit code, signal or spawn error once it has ended. */
  exitStatus(): string | null;
  /** Stops it (see stopProcess) and removes its pid file. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

export interface DetachedOptions {
  cwd?: string;
  /** stdout and stderr are appended here; without one they are dropped (servers that keep their own log). */
  logFile?: string;
  /** Written with the pid; for servers that do not write their own. */
  pidFile?: string;
  env?: Record<string, string | undefined>;
}

/** Starts a server in its own process group, so it keeps running after the script that started it ends. */
export function startDetached(cmd: string, args: string[], { cwd = ROOT, logFile, pidFile, env = {} }: DetachedOptions = {}): DetachedProcess {
  const out = logFile === undefined ? 'ignore' : openSync(logFile, 'a');
  let child;
  try {
    child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', out, out] });
  } finally {
    if (typeof out === 'number') closeSync(out);
  }
  // It is our child, so Node reaps it and says how it ended.
  let exitStatus: string | null = null;
  child.once('exit', (code, signal) => (exitStatus = String(code ?? signal)));
  child.once('error', (error) => (exitStatus = error.message));
  child.unref();
  const { pid } = child;
  if (pid === undefined) throw new Error(`could not start ${cmd}`);
  if (pidFile !== undefined) writeFileSync(pidFile, `${pid}\n`);
  return {
    pid,
    exitStatus: () => exitStatus,
    stop: async (options) => {
      await stopProcess(pid, options);
      if (pidFile !== undefined) removePidFile(pidFile, pid);
    },
  };
}

/**
 * Waits until a just-started server is ready (`ready` resolves true; a rejection counts as not yet):
 * fails early, with the end of its log, when it exits, and stops it when it is not ready within
 * timeoutMs.
 */
export async function waitUntilReady(
  server: DetachedProcess,
  what: string,
  ready: () => Promise<boolean>,
  { logFile, timeoutMs = 30_000, intervalMs = 100 }: { logFile: string; timeoutMs?: number; intervalMs?: number },
): Promise<void> {
  const started = Date.now();
  let lastError: Error | undefined;
  for (;;) {
    const exitStatus = server.exitStatus();
    if (exitStatus !== null) {
      await server.stop(); // removes its pid file
      throw new Error(`${what} exited (${exitStatus}) before it was ready; the end of ${logFile}:\n${logTail(logFile)}`);
    }
    try {
      if (await ready()) return;
    } catch (error) {
      lastError = error as Error;
    }
    if (Date.now() - started > timeoutMs) {
      await server.stop();
      const why = lastError ? ` (${lastError.message})` : '';
      throw new Error(`${what} was not ready after ${timeoutMs / 1000} s${why}; the end of ${logFile}:\n${logTail(logFile)}`);
    }
    await sleep(intervalMs);
  }
}
