import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls, type UserErasure, type UserEraser } from '@polystore/platform';
import { OrdersDatabase } from './orders-database.js';

/**
 * orders' part in erasing a user. Orders are accounting records, so they stay, with the user's id
 * replaced by a stand-in (a random UUID, one per erasure, recorded nowhere): what was bought, when
 * and for how much remains; who bought it cannot be found from orders any more. The customer's
 * name and email (the admin list's read model) are deleted. In one transaction: the events (the
 * only rewrite order_events allows, see the erasure migration), both projections and the outbox,
 * published rows included. Idempotent: a second run finds nothing left to replace.
 */
@Injectable()
export class OrdersUserData implements UserEraser {
  constructor(
    @Inject(OrdersDatabase) private readonly db: OrdersDatabase,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'erasure', metrics);
  }

  async erase({ userId }: UserErasure): Promise<Record<string, number>> {
    const id = userId.toLowerCase();
    const standIn = randomUUID();
    return this.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL orders.erasure = 'on'`);
      const customers = await tx.$executeRaw`DELETE FROM customers WHERE user_id = ${id}::uuid`;
      const events = await tx.$executeRaw`
        UPDATE order_events SET data = replace(data::text, ${id}, ${standIn})::jsonb
        WHERE order_id IN (SELECT order_id FROM order_list WHERE user_id = ${id}::uuid)`;
      const orders = await tx.$executeRaw`UPDATE order_list SET user_id = ${standIn}::uuid WHERE user_id = ${id}::uuid`;
      await tx.$executeRaw`UPDATE order_details SET user_id = ${standIn}::uuid WHERE user_id = ${id}::uuid`;
      const outbox = await tx.$executeRaw`
        UPDATE outbox SET envelope = replace(envelope::text, ${id}, ${standIn})::jsonb
        WHERE strpos(envelope::text, ${id}) > 0`;
      return { customers, orders, orderEvents: events, outbox };
    });
  }
}
