import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ServiceName } from '@polystore/contracts';
import { AppMetrics, timeStoreCalls, eraseUnknownUsers, type ReferenceHolder } from '@polystore/platform';
import { OrdersDatabase } from './orders-database.js';
import { OrdersUserData } from './user-data.eraser.js';

/**
 * orders' side of `npm run reconcile`: the users of its customers read model. Orders themselves are
 * not listed: an erased user's orders carry a random stand-in that users never knew, so an unknown
 * id there proves nothing; every real customer has a row in the read model (UserRegistered). A user
 * users does not know is erased here like any other: the row deleted, their orders re-keyed.
 */
@Injectable()
export class OrdersReferences implements ReferenceHolder {
  constructor(
    @Inject(OrdersDatabase) private readonly db: OrdersDatabase,
    @Inject(OrdersUserData) private readonly users: OrdersUserData,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'references', metrics);
  }

  async referencedIds(_owner: ServiceName): Promise<string[]> {
    const rows = await this.db.prisma.$queryRaw<Array<{ id: string }>>`SELECT user_id::text AS id FROM customers`;
    return rows.map((r) => r.id);
  }

  repair(_owner: ServiceName, ids: string[]): Promise<Record<string, number>> {
    return eraseUnknownUsers(this.users, ids);
  }
}
