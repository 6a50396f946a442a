#!/usr/bin/env node
// `npm run new:service -- <name> --store <postgres|redis|mongodb|opensearch|clickhouse> [--summary "…"]`
//
// Adds a service that follows the house rules from its first minute: its manifest entry (and so
// its NATS user and permissions, ports on both stacks, its own store server and login, its
// compose containers, its row in the README's map), its contracts, the app in the house shape
// with a health probe and a schema-setup step, a unit test and an integration test against its
// real store. It prints every file it wrote or changed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as prettier from 'prettier';
import { APP_NAMES, RESERVED_NAMES, STORE_KINDS, type StoreKind } from '../manifest.ts';
import { DERIVED_FILES } from './lib/derived.ts';
import { addServiceToManifest, allocatePorts } from './lib/manifest-edit.ts';
import { serviceFiles, serviceNames } from './lib/new-service/templates.ts';
import { ROOT } from './lib/proc.ts';

const USAGE = 'usage: npm run new:service -- <name> --store <postgres|redis|mongodb|opensearch|clickhouse> [--summary "what it owns"]';

function fail(message: string): never {
  console.error(`new:service: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: string[]): { name: string; kind: StoreKind; summary: string } {
  let name: string | undefined;
  let kind: string | undefined;
  let summary: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--store') kind = argv[++i];
    else if (arg === '--summary') summary = argv[++i];
    else if (arg.startsWith('--')) fail(`unknown option ${arg}`);
    else if (name) fail(`one name only (got ${name} and ${arg})`);
    else name = arg;
  }
  if (!name) fail('the service needs a name');
  if (!/^[a-z][a-z0-9]{1,29}$/.test(name))
    fail(
      `the name "${name}" must be 2-30 lower-case letters and digits, starting with a letter (it becomes a folder, a NATS subject prefix and an env prefix)`,
    );
  if (RESERVED_NAMES.includes(name))
    fail(`"${name}" is reserved (${RESERVED_NAMES.join(', ')}): it would share a NATS user, a subject space, a database or a folder`);
  if (!kind || !(kind in STORE_KINDS)) fail(`--store must be one of ${Object.keys(STORE_KINDS).join(', ')}`);
  return { name, kind: kind as StoreKind, summary: summary ?? `${name}'s data` };
}

const { name, kind, summary } = parseArgs(process.argv.slice(2));
if ((APP_NAMES as string[]).includes(name)) fail(`${name} is already in manifest.ts`);
const taken = [`apps/${name}`, `libs/contracts/src/${name}`, `prisma/${name}`].filter((path) => existsSync(join(ROOT, path)));
if (taken.length) fail(`${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}`);

const ports = allocatePorts(kind);
const names = serviceNames(name, kind);
const written: string[] = [];
const changed: string[] = [];

/** Formatted as the project's Prettier config says (the lint checks it), whatever the templates' line breaks. */
async function formatted(path: string, content: string): Promise<string> {
  const file = join(ROOT, path);
  const info = await prettier.getFileInfo(file, { ignorePath: join(ROOT, '.prettierignore') });
  if (info.ignored || !info.inferredParser) return content;
  return prettier.format(content, { ...(await prettier.resolveConfig(file)), filepath: file });
}

// Everything is prepared first; then written; any failure puts back what was there.
const manifestFile = join(ROOT, 'manifest.ts');
const contractsIndex = join(ROOT, 'libs', 'contracts', 'src', 'index.ts');
const edits = new Map<string, string>([
  // The manifest entry (and the edge may now call it).
  ['manifest.ts', await formatted('manifest.ts', addServiceToManifest(readFileSync(manifestFile, 'utf8'), name, kind, summary, ports))],
  // Its contracts, exported with everyone's.
  ['libs/contracts/src/index.ts', `${readFileSync(contractsIndex, 'utf8').trimEnd()}\nexport * from './${name}/index.js';\n`],
]);
const files = new Map<string, string>();
for (const [path, content] of Object.entries(serviceFiles(names))) {
  if (existsSync(join(ROOT, path))) fail(`${path} already exists`);
  files.set(path, await formatted(path, content));
}

const originals = new Map(
  [...edits.keys(), ...DERIVED_FILES].map((path) => [path, existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path), 'utf8') : null]),
);
const created: string[] = [];
try {
  for (const [path, content] of edits) {
    writeFileSync(join(ROOT, path), content);
    changed.push(path);
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), content, { flag: 'wx' });
    created.push(path);
    written.push(path);
  }
  // Everything derived from the manifest, by a fresh process (this one loaded the old manifest);
  // it checks the new manifest first (manifestProblems) and stops on a problem.
  const generated = execFileSync(process.execPath, [join(ROOT, 'scripts', 'generate.ts'), '--manifest-only'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: 'pipe',
  }).trim();
  const derived = generated.startsWith('wrote: ') ? generated.slice('wrote: '.length).split(', ') : [];
  for (const path of derived) {
    if (!originals.has(path)) created.push(path);
    (originals.get(path) ? changed : written).push(path);
  }
} catch (error) {
  for (const path of created) rmSync(join(ROOT, path), { force: true });
  for (const [path, content] of originals) if (content !== null) writeFileSync(join(ROOT, path), content);
  for (const dir of [`apps/${name}`, `libs/contracts/src/${name}`, `prisma/${name}`]) rmSync(join(ROOT, dir), { recursive: true, force: true });
  const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
  fail(`nothing was changed: ${detail}`);
}

console.log(`new service ${name} (${STORE_KINDS[kind].label}): HTTP port ${ports.httpPort.dev} (dev) / ${ports.httpPort.test} (test), store port ${ports.storePort.dev} / ${ports.storePort.test}

wrote:
  ${written.join('\n  ')}
changed:
  ${[...new Set(changed)].join('\n  ')}

next: npm test  (provisions the ${name} service's ${STORE_KINDS[kind].label} and runs its tests with everyone's);
      replace the example "item" with the service's own model; give it gateway routes if clients need it;
      set publishesEvents/calls/consumes in manifest.ts when it starts talking, then npm run generate.`);
