#!/usr/bin/env node
// `npm run users:migrate` / `npm run users:grant-admin -- <email>`: builds if needed, then runs an
// app's command with the dev stack's settings (anything already in the environment wins).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from './build.mjs';
import { ensureJwtKeys, jwtKeysDir } from './lib/infra.ts';
import { ROOT, run } from './lib/proc.ts';
import { appEnv, stack } from './lib/stack.ts';

const [app, command, ...args] = process.argv.slice(2);
const entry = join(ROOT, 'dist', 'apps', app, 'src', 'cli', `${command}.js`);
if (!existsSync(entry)) await build({ quiet: true });
const s = stack(process.env.POLYSTORE_STACK ?? 'dev');
const env = { ...appEnv(s, ensureJwtKeys(jwtKeysDir(s)))[app], ...process.env };
try {
  await run(process.execPath, [entry, ...args], { env });
} catch {
  process.exit(1);
}
