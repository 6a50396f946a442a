#!/usr/bin/env node
// CI's store-ownership scan: runs the shared `ownership-scan.sh` and fails on any violation the
// manifest does not explain.
//
// The shared scan keeps its own owner table, written when users was the only PostgreSQL service:
// it names users as the one owner of @prisma/*. orders owns a second PostgreSQL database through
// Prisma (issue 15), so the scan reports orders' store adapter. A reported import is accepted only
// when it sits in the importing app's own store folder and the manifest gives that app a store
// whose drivers include the package; everything else still fails CI. The repo's own lint rule
// (derived from the manifest) checks every import the same way.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APPS, STORE_KINDS } from '../manifest.ts';
import { ROOT } from './lib/proc.ts';

const scan = join(ROOT, '..', 'shared', 'tools', 'ownership-scan.sh');
if (!existsSync(scan)) {
  console.log('no shared ownership scan beside this checkout: skipped');
  process.exit(0);
}

const output = execFileSync(scan, [ROOT], { encoding: 'utf8' });
process.stdout.write(output);

const VIOLATION = /^VIOLATION (\S+) \(owner (\w+)\): (apps\/(\w+)\/src\/store\/[^:]+):/;
const refused: string[] = [];
for (const line of output.split('\n').filter((l) => l.startsWith('VIOLATION'))) {
  const match = VIOLATION.exec(line);
  const app = match?.[4];
  const spec = app && Object.hasOwn(APPS, app) ? APPS[app as keyof typeof APPS] : undefined;
  const drivers: readonly string[] = spec?.store ? STORE_KINDS[spec.store.kind].drivers : [];
  if (match && drivers.includes(match[1]!)) {
    console.log(
      `accepted: ${match[3]} imports ${match[1]} in ${app}'s own store folder; the manifest gives ${app} a ${spec!.store!.kind} store (the scan names ${match[2]} only)`,
    );
  } else refused.push(line);
}
if (refused.length) {
  console.error(`store drivers imported outside their owner:\n${refused.join('\n')}`);
  process.exit(1);
}
