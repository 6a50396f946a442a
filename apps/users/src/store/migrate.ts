import { migratePostgres, postgresConnectionOptions, type MigrationResult } from '@polystore/platform';
import pg from 'pg';

export type { MigrationResult };

/**
 * Brings the users database up to date with prisma/users/migrations (the runner is platform's,
 * the same for every PostgreSQL service; the connection is users' own).
 */
export function migrateUsersDatabase(databaseUrl: string, migrationsDir: string): Promise<MigrationResult> {
  return migratePostgres(new pg.Client(postgresConnectionOptions(databaseUrl, 5_000)), migrationsDir, 'users');
}
