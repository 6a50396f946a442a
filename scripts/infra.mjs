#!/usr/bin/env node
// `npm run infra:up [-- test]` / `npm run infra:down [-- test]`: the stores and NATS alone, without the apps.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { provision, stopByPidFile } from './lib/infra.mjs';
import { stack } from './lib/stack.mjs';
import { run, tryRun } from './lib/proc.mjs';

const [command = 'up', name = 'dev'] = process.argv.slice(2);
const s = stack(name);
if (command === 'up') {
  await provision(s);
  console.log(`infra (${s.name}) is up; stop it with: npm run infra:down${name === 'dev' ? '' : ` -- ${name}`}`);
} else if (command === 'down') {
  await stopByPidFile(join(s.dataDir, 'nats', 'nats.pid'));
  const pgDir = join(s.dataDir, 'postgres');
  if (existsSync(join(pgDir, 'postmaster.pid'))) {
    const bin = (await run('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], { quiet: true })).trim();
    const args = ['-D', pgDir, '-m', 'fast', '-w', 'stop'];
    await tryRun(process.getuid?.() === 0 ? 'runuser' : `${bin}/pg_ctl`, process.getuid?.() === 0 ? ['-u', 'postgres', '--', `${bin}/pg_ctl`, ...args] : args);
  }
  console.log(`infra (${s.name}) stopped`);
} else {
  console.error('usage: node scripts/infra.mjs up|down [dev|test]');
  process.exit(2);
}
