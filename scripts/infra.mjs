#!/usr/bin/env node
// `npm run infra:up [-- test]` / `npm run infra:down [-- test]`: the stores and NATS alone, without the apps.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { provision, stopByPidFile, stopPostgres } from './lib/infra.mjs';
import { stack } from './lib/stack.mjs';

const [command = 'up', name = 'dev'] = process.argv.slice(2);
const s = stack(name);
if (command === 'up') {
  await provision(s);
  console.log(`infra (${s.name}) is up; stop it with: npm run infra:down${name === 'dev' ? '' : ` -- ${name}`}`);
} else if (command === 'down') {
  for (const pidFile of ['nats/nats.pid', 'redis/redis.pid', 'opensearch/opensearch.pid', 'ferretdb/ferretdb.pid']) {
    const path = join(s.dataDir, pidFile);
    if (existsSync(path)) await stopByPidFile(path);
  }
  await stopPostgres(s);
  console.log(`infra (${s.name}) stopped`);
} else {
  console.error('usage: node scripts/infra.mjs up|down [dev|test]');
  process.exit(2);
}
