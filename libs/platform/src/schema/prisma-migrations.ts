import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';

/**
 * One connection to a PostgreSQL service's database, as the service's store/ opens it (platform
 * imports no driver): run SQL with positional parameters, get rows back.
 */
export interface SqlSession {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/** The lock `prisma migrate deploy` takes, so it and this never run at once on a database. */
const PRISMA_ADVISORY_LOCK = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies a service's prisma/<service>/migrations the way `prisma migrate deploy` does, without
 * Prisma's native schema engine (which cannot be downloaded here): same `_prisma_migrations` rows,
 * same checksum (sha256 of migration.sql), same advisory lock (so several instances starting at
 * once apply each migration once), each migration in one transaction. A machine with Prisma's
 * engine can run `prisma migrate deploy` on the same database and finds everything applied.
 */
export async function applyPrismaMigrations(session: SqlSession, migrationsDir: string, logger: Logger): Promise<MigrationResult> {
  const names = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  await session.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
  try {
    await session.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await session.query<MigrationRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new Error(
        `migration ${failed.migration_name} failed earlier and is unresolved; fix the database, then mark it rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${failed.migration_name}')`,
      );
    }
    const done = new Map(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r.checksum]));
    const applied: string[] = [];
    for (const name of names) {
      const sql = await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      if (done.has(name)) {
        if (done.get(name) !== checksum) logger.warn(`migration ${name} was changed after it was applied`);
        continue;
      }
      // Record and migration commit together, so a process killed mid-way leaves nothing half-done.
      const id = randomUUID();
      try {
        await session.query('BEGIN');
        await session.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)', [id, checksum, name]);
        await session.query(sql);
        await session.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        await session.query('COMMIT');
      } catch (error) {
        await session.query('ROLLBACK');
        // Leave a failed record, as Prisma does, so the next start stops until someone looks at it.
        await session.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs) VALUES ($1, $2, $3, $4)', [
          id,
          checksum,
          name,
          String((error as Error).message),
        ]);
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
      applied.push(name);
      logger.log(`applied ${name}`);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => undefined);
  }
}
