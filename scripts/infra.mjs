#!/usr/bin/env node
// `npm run infra:up [-- test]` / `npm run infra:down [-- test]`: the stores and NATS alone, without the apps.
import { provision, stopStack } from './lib/infra.ts';
import { stack } from './lib/stack.ts';

const [command = 'up', name = 'dev'] = process.argv.slice(2);
const s = stack(name);
if (command === 'up') {
  await provision(s);
  console.log(`infra (${s.name}) is up; stop it with: npm run infra:down${name === 'dev' ? '' : ` -- ${name}`}`);
} else if (command === 'down') {
  await stopStack(s);
  console.log(`infra (${s.name}) stopped`);
} else {
  console.error('usage: node scripts/infra.mjs up|down [dev|test]');
  process.exit(2);
}
