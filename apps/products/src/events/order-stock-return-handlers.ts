import { Inject, Injectable } from '@nestjs/common';
import { OrdersEvents, type OrderCancellationRequestedV1 } from '@polystore/contracts';
import { NO_INBOX, type EventHandlerSet, type EventHandlers } from '@polystore/platform';
import { ProductNotFound } from '../domain/errors.js';
import { returnUnits, unitsToReturn } from '../domain/stock.js';
import { ProductsStore } from '../store/products.store.js';
import { ReservationsStore } from '../store/reservations.store.js';
import { StockReturnsStore } from '../store/stock-returns.store.js';
import { orderStockReturned } from './stock-events.js';

/** Stock writes crowd onto popular products like checkouts do. */
const RETURN_WRITE = { retries: 60 };

/**
 * products' part of an order's cancellation (choreography: nobody calls products for it). On
 * OrderCancellationRequested it puts the order's units back on hand, once per order, and answers
 * with OrderStockReturned. OpenSearch has no transactions, so once-only is built from three
 * idempotent steps, each safe to repeat after a crash, a redelivery or a racing instance:
 *  1. the order's return document is created (only one creation wins; a repeat reads the winner's);
 *  2. each product gets its units back in the same versioned write as a mark naming the order, so
 *     a product that has the mark is skipped;
 *  3. the return document moves to `returned` with OrderStockReturned in its outbox (once).
 * No inbox is needed: a redelivered event finds the return `returned` and does nothing.
 */
@Injectable()
export class OrderStockReturnHandlers implements EventHandlerSet<void> {
  readonly inbox = NO_INBOX;

  readonly handlers: EventHandlers = {
    [OrdersEvents.OrderCancellationRequested.type]: (event) => this.returnStock(event.data),
  };

  constructor(
    @Inject(ProductsStore) private readonly products: ProductsStore,
    @Inject(ReservationsStore) private readonly reservations: ReservationsStore,
    @Inject(StockReturnsStore) private readonly returns: StockReturnsStore,
  ) {}

  private async returnStock(order: OrderCancellationRequestedV1): Promise<void> {
    let record = await this.returns.get(order.orderId);
    if (!record) {
      // The checkout's reservation says what was sold: never more is taken back.
      const reservation = await this.reservations.get(order.checkoutId);
      const now = new Date().toISOString();
      record = await this.returns.getOrCreate({
        orderId: order.orderId,
        checkoutId: order.checkoutId,
        status: 'returning',
        lines: unitsToReturn(order.lines, reservation?.status === 'committed' ? reservation.lines : null),
        createdAt: now,
        updatedAt: now,
      });
    }
    if (record.status === 'returned') return;
    const returned = await Promise.all(
      record.lines.map(async (line) => {
        try {
          await this.products.modify(
            line.productId,
            (current) => {
              const next = returnUnits(current, order.orderId, line.quantity, new Date().toISOString());
              return next ? { next, events: [] } : null;
            },
            RETURN_WRITE,
          );
          return line;
        } catch (error) {
          // A product deleted since takes nothing back.
          if (error instanceof ProductNotFound) return null;
          throw error;
        }
      }),
    );
    await this.returns.finish(
      order.orderId,
      orderStockReturned(
        record,
        returned.filter((line) => line !== null),
      ),
    );
  }
}
