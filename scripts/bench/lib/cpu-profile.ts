// What `npm run profile` (scripts/bench/profile.ts) needs from the processes a bench starts: with
// POLYSTORE_CPU_PROFILE_DIR set, each node process it watches loads cpu-profile-preload.mjs, and is
// asked (SIGUSR2) to write its profile before it is stopped; the bench's load windows are noted, so
// that only the time under load is counted.
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../lib/proc.ts';

export const profileDir = (): string | undefined => process.env.POLYSTORE_CPU_PROFILE_DIR || undefined;

/** Node arguments for a watched process: none unless profiling. */
export function cpuProfileArgs(): string[] {
  return profileDir() ? ['--import', join(ROOT, 'scripts', 'bench', 'lib', 'cpu-profile-preload.mjs')] : [];
}

/** Asks each watched child for its profile and waits (up to 15 s) until it is written. */
export async function flushCpuProfiles(children: ChildProcess[]): Promise<void> {
  const dir = profileDir();
  if (!dir) return;
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null && child.pid);
  for (const child of running) child.kill('SIGUSR2');
  const written = (pid: number) => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith(`.${pid}.cpuprofile`));
  const until = Date.now() + 15_000;
  while (Date.now() < until && !running.every((child) => written(child.pid!))) await new Promise((r) => setTimeout(r, 100));
}

/** A clock the CPU profiles share (CLOCK_MONOTONIC, µs): V8 stamps its samples with it. */
const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/** Notes when a measured load starts and ends (nothing unless profiling). */
export function loadWindow(label: string): () => void {
  const dir = profileDir();
  if (!dir) return () => {};
  const start = monotonicMicros();
  return () => appendFileSync(join(dir, 'windows.jsonl'), JSON.stringify({ label, start, end: monotonicMicros() }) + '\n');
}
