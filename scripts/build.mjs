#!/usr/bin/env node
// Builds everything into dist/: generates each PostgreSQL service's Prisma client, compiles with tsc,
// then rewrites the @polystore/* path aliases to relative imports (Node does not read tsconfig paths).
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { APPS, SERVICE_NAMES } from '../manifest.ts';
import { run, ROOT } from './lib/proc.ts';

/** Services whose store is PostgreSQL have a Prisma schema in prisma/<service>/ and a client in generated/<service>/. */
const prismaServices = () => SERVICE_NAMES.filter((service) => APPS[service].store.kind === 'postgres');

/** The service's generated client is older than its schema, or missing. */
function prismaClientStale(service) {
  const client = join(ROOT, 'generated', service, 'client.ts');
  if (!existsSync(client)) return true;
  return statSync(join(ROOT, 'prisma', service, 'schema.prisma')).mtimeMs > statSync(client).mtimeMs;
}

/**
 * Generates a service's Prisma client into generated/<service>/ (`npm run prisma:generate` runs
 * this for every PostgreSQL service). The client needs no database, so the config's URL is unused.
 */
export async function prismaGenerate({ quiet = false, services = prismaServices() } = {}) {
  for (const service of services) {
    // Prisma 7 wants a schema-engine binary to exist even though generate never runs it;
    // the native engine cannot be downloaded here, so point it at any file.
    await run('npx', ['prisma', 'generate', '--schema', `prisma/${service}/schema.prisma`], {
      env: { PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      quiet,
    });
  }
}

export async function build({ quiet = false } = {}) {
  const log = quiet ? () => {} : (m) => console.log(`build: ${m}`);
  const stale = prismaServices().filter(prismaClientStale);
  if (stale.length) {
    log(`prisma generate (${stale.join(', ')})`);
    await prismaGenerate({ quiet: true, services: stale });
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
