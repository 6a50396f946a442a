import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Logger } from '@nestjs/common';
import { ANALYTICS_DATABASE, type AnalyticsClickHouse } from './clickhouse.js';

/** Where the versioned migrations live (copied next to the compiled code by the build). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  checksum: string;
  statements: string[];
}

/** `NNNN_name.sql` files in version order; each holds statements ending with `;` at a line end. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(`${dir}/${file}`, 'utf8');
      const withoutComments = text
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n');
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        checksum: createHash('sha256').update(text).digest('hex'),
        statements: withoutComments
          .split(/;\s*(?:\n|$)/)
          .map((s) => s.trim())
          .filter(Boolean),
      };
    });
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, and records each.
 * ClickHouse has no transactional DDL, so every statement is written to be re-runnable
 * (IF NOT EXISTS): a migration interrupted half-way is simply applied again at the next start.
 * An applied migration whose file changed since is refused: migrations are append-only.
 */
export async function migrate(store: AnalyticsClickHouse, migrations = readMigrations()): Promise<string[]> {
  const logger = new Logger('AnalyticsMigrations');
  const { client } = store;
  await store.ensureDatabase();
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${ANALYTICS_DATABASE}.schema_migrations
      (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ReplacingMergeTree ORDER BY version`,
  });
  const result = await client.query({
    query: `SELECT version, name, checksum FROM ${ANALYTICS_DATABASE}.schema_migrations FINAL`,
    format: 'JSONEachRow',
  });
  const applied = new Map((await result.json<{ version: number; name: string; checksum: string }>()).map((m) => [Number(m.version), m]));
  const done: string[] = [];
  for (const migration of migrations) {
    const record = applied.get(migration.version);
    if (record) {
      if (record.checksum !== migration.checksum) {
        throw new Error(`analytics migration ${migration.name} was changed after it was applied (checksum differs): add a new migration instead`);
      }
      continue;
    }
    for (const statement of migration.statements) await client.command({ query: statement });
    await client.insert({
      table: `${ANALYTICS_DATABASE}.schema_migrations`,
      values: [{ version: migration.version, name: migration.name, checksum: migration.checksum }],
      format: 'JSONEachRow',
    });
    logger.log(`applied ${migration.name}`);
    done.push(migration.name);
  }
  return done;
}
