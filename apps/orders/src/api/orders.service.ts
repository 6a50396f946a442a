import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_ADMIN_ORDERS_PAGE,
  DEFAULT_MY_ORDERS_PAGE,
  type AdminListOrdersRequest,
  type AdminOrderList,
  type CheckoutCompletedV1,
  type ListMyOrdersRequest,
  type OrderDetail,
  type OrderPage,
} from '@polystore/contracts';
import { v5 as uuidv5 } from 'uuid';
import { ORDERS_CONFIG, type OrdersConfig } from '../config.js';
import { OrderNotFound } from '../domain/errors.js';
import { placeOrder, recordRefund, recordRestock, requestCancellation } from '../domain/order.js';
import { OrderEventStore } from '../store/event-store.js';
import { OrderProjections } from '../store/projections.js';
import type { Tx } from '../store/prisma.js';

/** Order ids are derived from checkout ids, so a checkout can only ever become one order (the first append wins). */
const ORDER_ID_NAMESPACE = '6f1d3c8e-2f4b-5a0e-9c71-0b8d2e4f6a13';
export const orderIdOf = (checkoutId: string): string => uuidv5(checkoutId, ORDER_ID_NAMESPACE);

/** The use cases behind orders' handlers and consumers: commands append events, queries read projections. */
@Injectable()
export class OrdersService {
  constructor(
    @Inject(ORDERS_CONFIG) private readonly config: OrdersConfig,
    @Inject(OrderEventStore) private readonly events: OrderEventStore,
    @Inject(OrderProjections) private readonly projections: OrderProjections,
  ) {}

  listMine(request: ListMyOrdersRequest): Promise<OrderPage> {
    return this.projections.listMine(request.userId, request.limit ?? DEFAULT_MY_ORDERS_PAGE, request.cursor);
  }

  get(userId: string, orderId: string): Promise<OrderDetail> {
    return this.projections.get(userId, orderId);
  }

  adminList(request: AdminListOrdersRequest): Promise<AdminOrderList> {
    const { withCustomers, limit, ...filter } = request;
    return this.projections.adminList({ ...filter, limit: limit ?? DEFAULT_ADMIN_ORDERS_PAGE, withCustomers: withCustomers ?? true });
  }

  /** Appends OrderCancellationRequested (published: users refunds, products restocks, each on its own). */
  async cancel(userId: string, orderId: string): Promise<OrderDetail> {
    await this.events.execute(orderId, (state) => {
      if (!state || state.userId !== userId) throw new OrderNotFound(orderId);
      return requestCancellation(state, new Date(), this.config.cancelWindowSeconds * 1000);
    });
    return this.projections.get(userId, orderId);
  }

  /** A completed checkout becomes an order once: a redelivered or repeated checkout finds it placed. */
  async placeFromCheckout(tx: Tx, checkout: CheckoutCompletedV1): Promise<void> {
    const orderId = orderIdOf(checkout.checkoutId);
    await this.events.executeIn(tx, orderId, (state) =>
      state
        ? []
        : placeOrder(orderId, {
            checkoutId: checkout.checkoutId,
            userId: checkout.userId,
            lines: checkout.lines.map((l) => ({ ...l })),
            totalCents: checkout.totalCents,
            currency: checkout.currency,
            completedAt: checkout.completedAt,
          }),
    );
  }

  async refundAnswered(
    tx: Tx,
    orderId: string,
    answer: { refunded: true; amountCents: number; at: string } | { refunded: false; reasonCode: string; reason: string },
  ): Promise<void> {
    await this.events.executeIn(tx, orderId, (state) => (state ? recordRefund(state, answer, new Date()) : []));
  }

  async stockReturned(tx: Tx, orderId: string, at: string): Promise<void> {
    await this.events.executeIn(tx, orderId, (state) => (state ? recordRestock(state, at, new Date()) : []));
  }
}
