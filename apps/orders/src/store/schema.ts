import { Logger } from '@nestjs/common';
import { applyPrismaMigrations } from '@polystore/platform';
import pg from 'pg';
import type { OrdersDatabase } from './orders-database.js';

/**
 * Applies prisma/orders/migrations before the service serves (safe with several instances
 * starting at once: the runner holds Prisma's advisory lock). Add a migration after editing
 * prisma/orders/schema.prisma (see users' for how: the README's Migrations section).
 */
export async function setUpOrdersSchema(db: OrdersDatabase): Promise<void> {
  const client = new pg.Client({ connectionString: db.config.databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await applyPrismaMigrations(client, db.config.migrationsDir, new Logger('orders:migrate'));
  } finally {
    await client.end();
  }
}
