import { Inject, Injectable } from '@nestjs/common';
import { OrdersEvents } from '@polystore/contracts';
import type { EventHandlerSet, EventHandlers, Inbox } from '@polystore/platform';
import { usersInbox } from '../store/inbox.js';
import type { Tx } from '../store/prisma.js';
import { UsersDatabase } from '../store/users-database.js';
import { WalletStore } from '../store/wallet.store.js';
import { orderRefundAnswered } from './users-events.js';

/**
 * users' part of an order's cancellation (choreography: nobody calls users for it). On
 * OrderCancellationRequested it refunds the checkout's debit, once per order, and answers with
 * OrderPaymentRefunded or OrderPaymentRefundDeclined; the inbox row, the ledger entry and the
 * answer commit in one transaction, so a redelivery or a crash half-way changes nothing twice.
 */
@Injectable()
export class OrderRefundHandlers implements EventHandlerSet<Tx> {
  readonly inbox: Inbox<Tx>;

  readonly handlers: EventHandlers<Tx> = {
    [OrdersEvents.OrderCancellationRequested.type]: async (event, tx) => {
      const order = event.data;
      await this.wallet.refundOrder(
        tx,
        { orderId: order.orderId, checkoutId: order.checkoutId, userId: order.userId, totalCents: order.totalCents, currency: order.currency },
        orderRefundAnswered(order.orderId, order.userId),
      );
    },
  };

  constructor(
    @Inject(UsersDatabase) db: UsersDatabase,
    @Inject(WalletStore) private readonly wallet: WalletStore,
  ) {
    this.inbox = usersInbox(db.prisma);
  }
}
