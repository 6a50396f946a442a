import { Logger } from '@nestjs/common';
import { applyPrismaMigrations, type MigrationResult } from '@polystore/platform';
import pg from 'pg';

export type { MigrationResult };

/**
 * Brings the users database up to date with prisma/users/migrations (the runner is platform's,
 * the same for every PostgreSQL service; the connection is users' own).
 */
export async function migrateUsersDatabase(databaseUrl: string, migrationsDir: string): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await applyPrismaMigrations(client, migrationsDir, new Logger('users:migrate'));
  } finally {
    await client.end();
  }
}
