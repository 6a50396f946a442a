import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { STORE_KINDS, type StoreKind } from '@polystore/manifest';

const run = promisify(execFile);
const ROOT = resolve('.');

/** One service per store kind, generated into a scratch copy of the repository. */
const GENERATED: Record<StoreKind, string> = {
  postgres: 'demopg',
  redis: 'demoredis',
  mongodb: 'demomongo',
  opensearch: 'demosearch',
  clickhouse: 'democh',
};

/**
 * `npm run new:service` on a scratch copy of the repository, for every store kind; then that
 * copy's lint, typecheck, derived-files check and the new services' unit and integration tests,
 * on their own real stores (a stack of the copy's own: other ports, other data).
 */
describe('npm run new:service (generator)', () => {
  const copy = mkdtempSync(join(process.env.POLYSTORE_TEST_DATA_DIR ?? tmpdir(), 'generated-'));
  const node = process.execPath;
  // The copy's own stack: NATS and the new services' stores only, on ports of its own.
  const stackEnv = { POLYSTORE_PORT_OFFSET: String(Number(process.env.POLYSTORE_PORT_OFFSET ?? 0) + 2000) };
  // This process's environment (Go, Java, caches, proxies), without what Jest added for itself.
  const { NODE_OPTIONS: _jestNodeOptions, ...inherited } = process.env;
  const inCopy = (args: string[], env: Record<string, string> = {}, timeout = 600_000) =>
    run(node, args, {
      cwd: copy,
      timeout,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...inherited, PATH: `${join(copy, 'node_modules', '.bin')}:${process.env.PATH}`, ...env },
    });

  afterAll(async () => {
    // Whatever happened, the copy's stores stop before their folder goes (a timed-out run leaves them up).
    await inCopy(['scripts/infra.mjs', 'down', 'test'], stackEnv, 120_000).catch(() => undefined);
    rmSync(copy, { recursive: true, force: true });
  }, 180_000);

  it('writes compliant services that pass lint, typecheck and their own tests', async () => {
    const files = (await run('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })).stdout
      .split('\n')
      .filter(Boolean);
    for (const file of files) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      cpSync(join(ROOT, file), join(copy, file));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));

    for (const [kind, name] of Object.entries(GENERATED) as Array<[StoreKind, string]>) {
      const { stdout } = await inCopy([
        'scripts/new-service.ts',
        name,
        '--store',
        kind,
        '--summary',
        `a generated ${STORE_KINDS[kind].label} service`,
      ]);
      expect(stdout).toContain(`new service ${name}`);
    }
    // The generator refuses a name taken, and a store kind it does not know, writing nothing.
    await expect(inCopy(['scripts/new-service.ts', 'demopg', '--store', 'redis'])).rejects.toMatchObject({
      stderr: expect.stringContaining('already in manifest.ts'),
    });
    await expect(inCopy(['scripts/new-service.ts', 'other', '--store', 'cassandra'])).rejects.toMatchObject({
      stderr: expect.stringContaining('--store must be one of'),
    });

    const manifest = readFileSync(join(copy, 'manifest.ts'), 'utf8');
    for (const name of Object.values(GENERATED)) expect(manifest).toContain(`  ${name}: {`);
    const compose = readFileSync(join(copy, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('demopg-postgres:');
    expect(compose).toContain('DEMOREDIS_REDIS_URL: redis://demoredis_svc:demoredis_svc_dev_password@demoredis-redis:6379/0');
    expect(readFileSync(join(copy, 'docker/nats/auth.conf'), 'utf8')).toContain('"demomongo_nats"');
    expect(readFileSync(join(copy, 'README.md'), 'utf8')).toMatch(/\| demosearch \| a generated OpenSearch service \| OpenSearch \|/);

    await inCopy(['node_modules/eslint/bin/eslint.js', '.']);
    await inCopy(['node_modules/prettier/bin/prettier.cjs', '--check', '--log-level', 'warn', '.']);
    await inCopy(['scripts/generate.ts', '--check']);
    // Prisma's client for the new PostgreSQL service, which the typecheck needs.
    await inCopy(['scripts/prisma-generate.mjs']);
    await inCopy(['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']);
    await inCopy(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.scripts.json']);

    // The new services' unit and integration tests, on the copy's own stack.
    const services = Object.values(GENERATED);
    const result = await inCopy(
      ['scripts/test.mjs', 'unit', 'integration', ...services.map((s) => `apps/${s}/`)],
      {
        ...stackEnv,
        POLYSTORE_SERVICES: services.join(','),
      },
      900_000,
    );
    const output = result.stdout + result.stderr;
    for (const name of services) {
      expect(output).toContain(`PASS unit apps/${name}/src/domain/item.spec.ts`);
      expect(output).toContain(`PASS integration apps/${name}/test/${name}.int-spec.ts`);
    }
    expect(output).not.toMatch(/^FAIL /m);
  }, 1_500_000);
});
