#!/usr/bin/env node
// `npm run restore -- <service|events|all> <backup folder> [--force] [--replay] [--stack dev|test]`:
// refuses a store that holds data unless --force, saying what it holds; checks the restored store
// against the backup's manifest (counts and checksums). --replay: the restored service reads the
// events still on its input streams again when it starts (docs/operations.md).
import { restore, RestoreRefused } from './lib/backup/index.ts';
import { stack } from './lib/stack.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args.splice(at, 2)[1];
};
const flag = (name: string) => {
  const at = args.indexOf(name);
  if (at >= 0) args.splice(at, 1);
  return at >= 0;
};
const stackName = option('--stack') ?? process.env.POLYSTORE_STACK ?? 'dev';
const force = flag('--force');
const replay = flag('--replay');
const [which, dir] = args;
if (!which || !dir || args.length !== 2) {
  console.error('usage: npm run restore -- <service|events|all> <backup folder> [--force] [--replay] [--stack dev|test]');
  process.exit(2);
}
try {
  await restore(stack(stackName), which, dir, { force, replay });
  // A store from another time than the others: what they disagree about is found and repaired by
  // reconcile, which also has users publish again the erasures a participant's backup predates.
  if (which !== 'events' && which !== 'all')
    console.log(
      `restored ${which}. Once the apps run again (and a --replay has caught up): \`npm run reconcile\` reports what the other ` +
        'stores disagree with it about, and `npm run reconcile -- --repair` repairs it and applies again the erasures it predates.',
    );
} catch (error) {
  console.error(error instanceof RestoreRefused ? error.message : `restore failed: ${(error as Error).message}`);
  process.exit(1);
}
