#!/usr/bin/env node
// `npm run generate`: rewrites every checked-in file derived from manifest.ts (docker-compose.yml
// and the store set-up files it mounts, docker/nats/auth.conf, nest-cli.json, the README's
// ownership map), and the gateway's OpenAPI document with the types generated from it. `--check` writes nothing and fails when one is out of date.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { manifestProblems } from '../manifest.ts';
import { derivedFiles } from './lib/derived.ts';
import { builtGatewayDocument, openApiFiles } from './lib/openapi.ts';
import { ROOT } from './lib/proc.ts';

const check = process.argv.includes('--check');
// The new-service generator adds no gateway route: it skips the OpenAPI files (and the build they need).
const manifestOnly = process.argv.includes('--manifest-only');
const problems = manifestProblems();
if (problems.length) {
  console.error(`manifest.ts:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
// The gateway's OpenAPI document needs the built gateway; --check leaves it to test/lint/openapi-files.spec.ts,
// which builds the document in-process.
const files = { ...(await derivedFiles()), ...(check || manifestOnly ? {} : await openApiFiles(await builtGatewayDocument())) };
const stale: string[] = [];
for (const [path, content] of Object.entries(files)) {
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
