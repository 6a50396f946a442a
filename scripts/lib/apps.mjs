// Starts the built apps (dist/) as child processes and waits until each answers /health.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { APPS, appEnv, healthUrl } from './stack.mjs';
import { ROOT, waitFor } from './proc.mjs';

const COLORS = { users: 36, products: 35, cart: 33, analytics: 34, messaging: 32, gateway: 97 };

export function appEntry(app) {
  return join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
}

/**
 * Spawns every app. Output goes to the terminal with a coloured prefix, or (logDir) to
 * one file per app. Resolves once all are healthy; `stop()` ends them all.
 */
export async function startApps(s, keys, { logDir, onProgress = () => {}, timeoutMs = 60_000, apps = APPS, clickhouseServer = false } = {}) {
  const envs = appEnv(s, keys, { clickhouseServer });
  const children = new Map();
  for (const app of apps) {
    const child = spawn(process.execPath, ['--enable-source-maps', appEntry(app)], {
      cwd: ROOT,
      env: { ...process.env, ...envs[app], NODE_ENV: process.env.NODE_ENV ?? 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (logDir) {
      mkdirSync(logDir, { recursive: true });
      const file = createWriteStream(join(logDir, `${app}.log`), { flags: 'a' });
      child.stdout.pipe(file);
      child.stderr.pipe(file);
    } else {
      const prefix = `\x1b[${COLORS[app]}m${app.padEnd(9)}|\x1b[0m `;
      const forward = (stream) => (chunk) => {
        for (const line of chunk.toString().split('\n')) if (line) stream.write(prefix + line + '\n');
      };
      child.stdout.on('data', forward(process.stdout));
      child.stderr.on('data', forward(process.stderr));
    }
    children.set(app, child);
  }
  const stop = () => stopAll([...children.values()]);
  const exited = new Promise((_, reject) => {
    for (const [app, child] of children) {
      child.once('exit', (code, signal) => reject(new Error(`${app} exited (${code ?? signal}) before it was healthy${logDir ? `; see ${join(logDir, `${app}.log`)}` : ''}`)));
    }
  });
  exited.catch(() => {});
  try {
    let healthy = 0;
    await Promise.race([
      exited,
      Promise.all(
        apps.map(async (app) => {
          await waitFor(`${app} health`, async () => (await fetch(healthUrl(s, app)).catch(() => null))?.ok, { timeoutMs, intervalMs: 150 });
          healthy++;
          onProgress(app, healthy, apps.length);
        }),
      ),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { children, stop };
}

export async function stopAll(children) {
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
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
