#!/usr/bin/env node
// Builds everything into dist/: generates the users Prisma client, compiles with tsc,
// then rewrites the @polystore/* path aliases to relative imports (Node does not read tsconfig paths).
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { run, ROOT } from './lib/proc.ts';

/** The generated client is older than the schema, or missing. */
function prismaClientStale() {
  const client = join(ROOT, 'generated', 'users', 'client.ts');
  if (!existsSync(client)) return true;
  return statSync(join(ROOT, 'prisma', 'users', 'schema.prisma')).mtimeMs > statSync(client).mtimeMs;
}

/** Generates the users Prisma client into generated/users/ (`npm run prisma:generate` runs just this). */
export async function prismaGenerate({ quiet = false } = {}) {
  // Prisma 7 wants a schema-engine binary to exist even though generate never runs it;
  // the native engine cannot be downloaded here, so point it at any file.
  await run('npx', ['prisma', 'generate'], {
    env: { PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    quiet,
  });
}

export async function build({ quiet = false } = {}) {
  const log = quiet ? () => {} : (m) => console.log(`build: ${m}`);
  if (prismaClientStale()) {
    log('prisma generate (users)');
    await prismaGenerate({ quiet: true });
  }
  log('tsc (incremental)');
  await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { quiet: false });
  await run('npx', ['tsc-alias', '-p', 'tsconfig.build.json', '--resolve-full-paths'], { quiet: true });
  copySqlAssets();
  log(`done → ${ROOT}/dist`);
}

/** tsc copies no .sql files: put each (analytics' ClickHouse migrations) next to its compiled code. */
function copySqlAssets() {
  for (const file of readdirSync(join(ROOT, 'apps'), { recursive: true })) {
    if (!String(file).endsWith('.sql')) continue;
    const source = join(ROOT, 'apps', String(file));
    cpSync(source, join(ROOT, 'dist', relative(ROOT, source)));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  build().catch((error) => {
    console.error(`build failed: ${error.message}`);
    process.exit(1);
  });
}
