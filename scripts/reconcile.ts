#!/usr/bin/env node
// `npm run reconcile [-- --repair] [--json] [--holder <service>]...`: reports (and with --repair,
// repairs) what services restored from different times disagree about: ids one service keeps of
// another's that the owner does not know or has erased. Reads the running system (`npm start`);
// POLYSTORE_STACK=test reads the test stack. Dry run by default. See docs/operations.md.
import { SERVICE_NAMES, type ServiceName } from '../manifest.ts';
import { reconcile, renderReconcile } from './lib/reconcile.ts';
import { stack } from './lib/stack.ts';

const args = process.argv.slice(2);
const repair = args.includes('--repair');
const json = args.includes('--json');
const holders: ServiceName[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--holder') {
    const name = args[++i];
    if (!name || !(SERVICE_NAMES as string[]).includes(name)) {
      console.error(`--holder takes a service: ${SERVICE_NAMES.join(', ')}`);
      process.exit(2);
    }
    holders.push(name as ServiceName);
  } else if (arg !== '--repair' && arg !== '--json') {
    console.error(`unknown argument ${arg}; usage: npm run reconcile -- [--repair] [--json] [--holder <service>]...`);
    process.exit(2);
  }
}

const s = stack(process.env.POLYSTORE_STACK ?? 'dev');
const results = await reconcile(s, { repair, ...(holders.length ? { holders } : {}) });
if (json) console.log(JSON.stringify({ stack: s.name, repair, checks: results }, null, 2));
else console.log(renderReconcile(results, repair));
if (results.some((r) => r.error)) process.exit(1);
