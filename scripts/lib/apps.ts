// Starts the built apps (dist/) as child processes and waits until each answers /health/ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { APPS, startOrder, type AppName } from '../../manifest.ts';
import { prettyLogLine } from './log-lines.ts';
import { appEnv, healthUrl, type JwtKeyFiles, type Stack } from './stack.ts';
import { ROOT, waitFor } from './proc.ts';
import { cpuProfileArgs, flushCpuProfiles } from '../bench/lib/cpu-profile.ts';

export function appEntry(app: AppName, dist = join(ROOT, 'dist')): string {
  return join(dist, 'apps', app, 'src', 'main.js');
}

/**
 * Loaded with `--import` before every app: starts OpenTelemetry when an OTLP endpoint is
 * configured (libs/platform/src/telemetry/register.ts says why it has to be a preload).
 */
export function telemetryPreload(dist = join(ROOT, 'dist')): string {
  return join(dist, 'libs', 'platform', 'src', 'telemetry', 'register.js');
}

/**
 * Spawns every app. Output goes to the terminal with a coloured prefix, or (logDir) to
 * one file per app. Resolves once all are healthy; `stop()` ends them all.
 */
export interface StartAppsOptions {
  /** One log file per app here, instead of prefixed lines on the terminal. */
  logDir?: string;
  onProgress?: (app: AppName, healthy: number, total: number) => void;
  /** Called every 15 s while some apps are not healthy yet, with those apps. */
  onWaiting?: (pending: AppName[], seconds: number) => void;
  /** How long each app may take to answer healthy. A cold start on a busy 2-core machine can take over a minute. */
  timeoutMs?: number;
  apps?: AppName[];
  clickhouseServer?: boolean;
  /** Extra environment for every app (e.g. OTEL_* variables). */
  env?: Record<string, string>;
  /** The build to run: dist/ unless another (a benchmark's baseline: another commit's dist/, copied under this clone). */
  dist?: string;
}

export interface RunningApps {
  children: Map<AppName, ChildProcess>;
  stop: () => Promise<void>;
}

export async function startApps(
  s: Stack,
  keys: JwtKeyFiles,
  {
    logDir,
    onProgress = () => {},
    onWaiting = () => {},
    timeoutMs = 180_000,
    apps = startOrder(),
    clickhouseServer = false,
    env = {},
    dist,
  }: StartAppsOptions = {},
): Promise<RunningApps> {
  const envs = appEnv(s, keys, { clickhouseServer });
  const children = new Map<AppName, ChildProcess>();
  if (logDir) mkdirSync(logDir, { recursive: true });
  for (const app of apps) {
    // With a log folder the app writes its file itself: piped through this process, its log
    // writes would wait on whatever this process is doing (a benchmark's load generator).
    const logFile = logDir ? openSync(join(logDir, `${app}.log`), 'a') : undefined;
    const child = spawn(process.execPath, ['--enable-source-maps', ...cpuProfileArgs(), '--import', telemetryPreload(dist), appEntry(app, dist)], {
      cwd: ROOT,
      env: { ...process.env, OTEL_SERVICE_NAME: app, ...envs[app], ...env, NODE_ENV: process.env.NODE_ENV ?? 'development' },
      stdio: logFile === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFile, logFile],
    });
    if (logFile !== undefined) {
      closeSync(logFile);
    } else {
      const prefix = `\x1b[${APPS[app].logColor}m${app.padEnd(9)}|\x1b[0m `;
      // Whole lines (a chunk may end mid-line), JSON log lines pretty-printed.
      const forward = (from: NodeJS.ReadableStream, to: NodeJS.WriteStream) =>
        createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => {
          if (line) to.write(prefix + prettyLogLine(line) + '\n');
        });
      forward(child.stdout!, process.stdout);
      forward(child.stderr!, process.stderr);
    }
    children.set(app, child);
  }
  const stop = () => stopAll([...children.values()]);
  const exited = new Promise<never>((_, reject) => {
    for (const [app, child] of children) {
      child.once('exit', (code, signal) =>
        reject(new Error(`${app} exited (${code ?? signal}) before it was healthy${logDir ? `; see ${join(logDir, `${app}.log`)}` : ''}`)),
      );
    }
  });
  exited.catch(() => {});
  const pending = new Set(apps);
  const startedAt = Date.now();
  const waiting = setInterval(() => onWaiting([...pending], Math.round((Date.now() - startedAt) / 1000)), 15_000);
  try {
    let healthy = 0;
    await Promise.race([
      exited,
      Promise.all(
        apps.map(async (app) => {
          await waitFor(`${app} health`, async () => (await fetch(healthUrl(s, app)).catch(() => null))?.ok, { timeoutMs, intervalMs: 150 });
          healthy++;
          pending.delete(app);
          onProgress(app, healthy, apps.length);
        }),
      ),
    ]);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearInterval(waiting);
  }
  return { children, stop };
}

export async function stopAll(children: ChildProcess[]): Promise<void> {
  // Under `npm run profile`, each app writes its CPU profile first.
  await flushCpuProfiles(children);
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}
