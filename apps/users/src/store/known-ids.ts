import { Inject, Injectable, Optional } from '@nestjs/common';
import type { IdsCheck } from '@polystore/contracts';
import { AppMetrics, timeStoreCalls, type IdOwner } from '@polystore/platform';
import { UsersDatabase } from './users-database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * users' answer to `npm run reconcile`: of the user ids another service keeps, those with no account
 * here (a users store restored from before they registered) and those erased (tombstones: a
 * participant restored from before the erasure still holds them).
 */
@Injectable()
export class UsersKnownIds implements IdOwner {
  constructor(
    @Inject(UsersDatabase) private readonly db: UsersDatabase,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'known-ids', metrics);
  }

  async checkIds(ids: string[]): Promise<IdsCheck> {
    const valid = ids.filter((id) => UUID.test(id));
    const rows = valid.length
      ? await this.db.prisma.$queryRaw<Array<{ id: string; erased: boolean }>>`
          SELECT id::text AS id, erased_at IS NOT NULL AS erased FROM users WHERE id = ANY(${valid.map((id) => id.toLowerCase())}::uuid[])`
      : [];
    const found = new Map(rows.map((r) => [r.id, r.erased]));
    return {
      unknown: ids.filter((id) => !found.has(id.toLowerCase())),
      erased: ids.filter((id) => found.get(id.toLowerCase()) === true),
    };
  }
}
