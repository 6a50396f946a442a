import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import { OrdersDatabase } from './orders-database.js';
import type { Tx } from './prisma.js';

/**
 * orders' read model of users' customers (name and email), fed by UserRegistered and
 * UserProfileUpdated in stream order, for the admin list's join inside orders' own database.
 */
@Injectable()
export class CustomersStore {
  constructor(
    @Inject(OrdersDatabase) private readonly db: OrdersDatabase,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'customers', metrics);
  }

  /** The customer's name and email as of the event (events arrive in the stream's order on one consumer). */
  async upsert(tx: Tx, customer: { userId: string; name: string; email: string; at: string }): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO customers (user_id, name, email, updated_at)
      VALUES (${customer.userId}::uuid, ${customer.name}, ${customer.email}, ${customer.at}::timestamptz)
      ON CONFLICT (user_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, updated_at = EXCLUDED.updated_at
      WHERE customers.updated_at <= EXCLUDED.updated_at`;
  }
}
