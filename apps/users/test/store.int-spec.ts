import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, UsersRpc, healthSubject } from '@polystore/contracts';
import { RpcError } from '@polystore/platform';
import pg from 'pg';
import { loadUsersConfig } from '../src/config.js';
import { otherServicesCredentials, postgresAdminUrl } from '../../../test/support/credentials.js';
import { migrateUsersDatabase } from '../src/store/migrate.js';
import { startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';
import { freePort, uniqueEmail, usersModule } from './support.js';

describe('users store (integration)', () => {
  it('applies migrations like prisma migrate deploy, and a second run changes nothing', async () => {
    const config = loadUsersConfig();
    await migrateUsersDatabase(config.databaseUrl, config.migrationsDir);
    const again = await migrateUsersDatabase(config.databaseUrl, config.migrationsDir);
    expect(again.applied).toEqual([]);
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
      );
      const names = readdirSync(config.migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort();
      expect(rows.map((r) => r.migration_name)).toEqual(names);
      for (const row of rows) {
        const sql = readFileSync(join(config.migrationsDir, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(row.finished_at).not.toBeNull();
      }
      // The balance guard holds in the database itself, whatever the code above it does.
      const id = '01890000-0000-7000-8000-0000000000ab';
      await client.query(`INSERT INTO users (id, email, name, password_hash, updated_at) VALUES ($1, $2, 'x', 'x', now()) ON CONFLICT DO NOTHING`, [
        id,
        uniqueEmail('guard'),
      ]);
      await client.query(`INSERT INTO wallets (user_id, updated_at) VALUES ($1, now()) ON CONFLICT DO NOTHING`, [id]);
      await expect(client.query('UPDATE wallets SET balance_cents = -1 WHERE user_id = $1', [id])).rejects.toThrow(/wallets_balance_not_negative/);
    } finally {
      await client.end();
    }
  });

  describe('when PostgreSQL is unreachable', () => {
    let users: ServiceUnderTest;

    beforeAll(async () => {
      const config = loadUsersConfig();
      const url = new URL(config.databaseUrl);
      url.port = String(await freePort()); // nothing listens there
      // Nothing to migrate: the point is a store that is not there.
      users = await startServiceForTest({ service: 'users', module: usersModule({ databaseUrl: url.toString() }), skipSchemaSetup: true });
    });
    afterAll(async () => {
      await users?.close();
    });

    it('answers UNAVAILABLE quickly instead of hanging', async () => {
      const started = Date.now();
      const error = await users.rpc
        .send(UsersRpc.register, { email: uniqueEmail('down'), name: 'Down', password: 'password-1' })
        .catch((e: unknown) => e as RpcError);
      expect(error).toBeInstanceOf(RpcError);
      expect((error as RpcError).code).toBe(ErrorCode.Unavailable);
      expect(Date.now() - started).toBeLessThan(4_000);
    });

    it('reports itself unhealthy', async () => {
      const report = await users.rpc.send(healthSubject('users'), {});
      expect(report.ok).toBe(false);
      expect(report.checks.find((c) => c.name === 'postgres')?.ok).toBe(false);
    });
  });
});

describe('users schema and migrations', () => {
  it('are in sync: the offline migration tool finds no changes to make', async () => {
    const { cpSync, mkdtempSync, rmSync } = await import('node:fs');
    const { execFile } = await import('node:child_process');
    const { tmpdir } = await import('node:os');
    const copy = mkdtempSync(join(tmpdir(), 'users-migrations-'));
    cpSync(loadUsersConfig().migrationsDir, copy, { recursive: true });
    try {
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ['scripts/users-migration-new.mjs', 'drift_check', '--migrations', copy],
          { env: { ...process.env, USERS_MIGRATION_SHADOW_URL: postgresAdminUrl('users') }, timeout: 180_000 },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout + stderr)),
        ),
      );
      expect(output).toMatch(/no changes/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 200_000);
});

describe('users database ownership', () => {
  it('refuses every other service’s credentials', async () => {
    const url = new URL(loadUsersConfig().databaseUrl);
    for (const other of otherServicesCredentials('users')) {
      const client = new pg.Client({ host: url.hostname, port: Number(url.port), database: 'users', user: other.user, password: other.password });
      await expect(client.connect()).rejects.toThrow(/password authentication failed|does not exist/);
      await client.end().catch(() => undefined);
    }
  });

  it('grants users_svc nothing beyond its own database', async () => {
    const url = new URL(loadUsersConfig().databaseUrl);
    url.pathname = '/postgres';
    const client = new pg.Client({ connectionString: url.toString() });
    try {
      await expect(client.connect()).rejects.toThrow(/permission denied for database|not have CONNECT/);
    } finally {
      await client.end().catch(() => undefined);
    }
  });
});
