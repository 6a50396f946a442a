#!/usr/bin/env node
// `npm run generate`: rewrites every checked-in file derived from manifest.ts (docker-compose.yml
// and the store set-up files it mounts, docker/nats/auth.conf, nest-cli.json, the README's
// ownership map). `--check` writes nothing and fails when one is out of date.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { manifestProblems } from '../manifest.ts';
import { derivedFiles } from './lib/derived.ts';
import { ROOT } from './lib/proc.ts';

const check = process.argv.includes('--check');
const problems = manifestProblems();
if (problems.length) {
  console.error(`manifest.ts:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const stale: string[] = [];
for (const [path, content] of Object.entries(await derivedFiles())) {
  const file = join(ROOT, path);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
  if (current === content) continue;
  stale.push(path);
  if (!check) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}
if (check && stale.length) {
  console.error(`out of date with manifest.ts: ${stale.join(', ')}; run  npm run generate`);
  process.exit(1);
}
console.log(stale.length ? `${check ? 'stale' : 'wrote'}: ${stale.join(', ')}` : 'every derived file is up to date');
