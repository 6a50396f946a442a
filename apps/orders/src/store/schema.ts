import { migratePostgres, postgresConnectionOptions } from '@polystore/platform';
import pg from 'pg';
import type { OrdersDatabase } from './orders-database.js';

/**
 * Applies prisma/orders/migrations before the service serves (safe with several instances
 * starting at once: the runner holds Prisma's advisory lock). Add a migration after editing
 * prisma/orders/schema.prisma (see users' for how: the README's Migrations section).
 */
export async function setUpOrdersSchema(db: OrdersDatabase): Promise<void> {
  await migratePostgres(new pg.Client(postgresConnectionOptions(db.config.databaseUrl, 5_000)), db.config.migrationsDir, 'orders');
}
