// Shared by the benchmarks: the test stack (throwaway data, own ports), built, with all apps running.
import { join } from 'node:path';
import { build } from '../build.mjs';
import { startApps } from '../lib/apps.mjs';
import { provision } from '../lib/infra.mjs';
import { appEnv, stack } from '../lib/stack.mjs';

export async function withRunningStack(fn) {
  const s = stack('test');
  const infra = await provision(s);
  let apps = null;
  try {
    await build({ quiet: true });
    apps = await startApps(s, infra.keys, { logDir: join(s.dataDir, 'logs') });
    return await fn({ s, env: appEnv(s, infra.keys), keys: infra.keys });
  } finally {
    await apps?.stop();
    await infra.stop();
  }
}

export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
