import { POSTGRES_USAGE_SQL, postgresUsage, type PostgresUsageRow, type StoreUsage } from '@polystore/platform';
import type { UsersDatabase } from './users-database.js';

/** users' database: its size, rows (estimated) and index bytes (`npm run usage`, `/metrics`). */
export async function readUsersUsage(db: UsersDatabase): Promise<StoreUsage> {
  const [row] = await db.prisma.$queryRawUnsafe<PostgresUsageRow[]>(POSTGRES_USAGE_SQL);
  return postgresUsage(row!);
}
