#!/usr/bin/env node
// `npm run backup -- <service|events|all> [--stack dev|test] [--out <folder>]`: each service's store
// with its own tool, and the event streams with JetStream's; a folder per target with manifest.json.
import { join } from 'node:path';
import { backup } from './lib/backup/index.ts';
import { stack } from './lib/stack.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args.splice(at, 2)[1];
};
const stackName = option('--stack') ?? process.env.POLYSTORE_STACK ?? 'dev';
const out = option('--out');
const [which] = args;
if (!which || args.length !== 1) {
  console.error('usage: npm run backup -- <service|events|all> [--stack dev|test] [--out <folder>]');
  process.exit(2);
}
const s = stack(stackName);
const root = out ?? join(s.dataDir, 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
try {
  const manifests = await backup(s, which, root);
  const bytes = manifests.reduce((sum, m) => sum + m.bytes, 0);
  console.log(`backup of ${which} (${s.name} stack): ${manifests.length} folder(s), ${bytes} bytes in ${root}`);
  console.log(`restore with: npm run restore -- ${which} ${root}${stackName === 'dev' ? '' : ` --stack ${stackName}`}`);
} catch (error) {
  console.error(`backup failed: ${(error as Error).message}`);
  process.exit(1);
}
