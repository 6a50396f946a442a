import { Inject, Injectable } from '@nestjs/common';
import { CartEvents, ProductsEvents, UsersEvents } from '@polystore/contracts';
import type { DurableConsumerSpec, EventHandlerSet, EventHandlers, Inbox } from '@polystore/platform';
import { OrdersService } from '../api/orders.service.js';
import { CustomersStore } from '../store/customers.store.js';
import { ordersInbox } from '../store/inbox.js';
import { OrdersDatabase } from '../store/orders-database.js';
import type { Tx } from '../store/prisma.js';

/**
 * What orders does with other services' events: a completed checkout becomes an order; users'
 * and products' answers to a cancellation are appended to the order (which completes it when
 * both are in); users' profile events feed the customers read model. Each effect commits with
 * its inbox row.
 */
@Injectable()
export class OrdersEventHandlers implements EventHandlerSet<Tx> {
  readonly inbox: Inbox<Tx>;

  readonly handlers: EventHandlers<Tx> = {
    [CartEvents.CheckoutCompleted.type]: ({ data }, tx) => this.orders.placeFromCheckout(tx, data),
    [UsersEvents.OrderPaymentRefunded.type]: ({ data, occurredAt }, tx) =>
      this.orders.refundAnswered(tx, data.orderId, { refunded: true, amountCents: data.amountCents, at: occurredAt }),
    [UsersEvents.OrderPaymentRefundDeclined.type]: ({ data }, tx) =>
      this.orders.refundAnswered(tx, data.orderId, { refunded: false, reasonCode: data.reasonCode, reason: data.reason }),
    [ProductsEvents.OrderStockReturned.type]: ({ data }, tx) => this.orders.stockReturned(tx, data.orderId, data.returnedAt),
    [UsersEvents.UserRegistered.type]: ({ data, occurredAt }, tx) =>
      this.customers.upsert(tx, { userId: data.userId, name: data.name, email: data.email, at: occurredAt }),
    [UsersEvents.UserProfileUpdated.type]: ({ data, occurredAt }, tx) =>
      this.customers.upsert(tx, { userId: data.userId, name: data.name, email: data.email, at: occurredAt }),
  };

  constructor(
    @Inject(OrdersService) private readonly orders: OrdersService,
    @Inject(CustomersStore) private readonly customers: CustomersStore,
    @Inject(OrdersDatabase) db: OrdersDatabase,
  ) {
    this.inbox = ordersInbox(db.prisma);
  }
}

/** orders' durable consumers (one filter subject each: Debian's nats-server 2.9 knows only one). */
export const ORDERS_CONSUMERS: Array<DurableConsumerSpec<'orders'>> = [
  { durable: 'orders-checkouts', producer: 'cart', subjects: ['events.cart.CheckoutCompleted.v1'] },
  // Refund answers and the customers read model: both from users' stream, in its order.
  { durable: 'orders-users', producer: 'users', subjects: ['events.users.>'] },
  { durable: 'orders-stock-returns', producer: 'products', subjects: ['events.products.OrderStockReturned.v1'] },
];
