import {
  ProductsEvents,
  type EventEnvelope,
  type OrderStockReturnedV1,
  type StockCommittedV1,
  type StockReleasedV1,
  type StockReservedV1,
} from '@polystore/contracts';
import { newEvent } from '@polystore/platform';
import type { ReservationRecord } from '../store/reservations.store.js';
import type { StockReturnRecord } from '../store/stock-returns.store.js';

const lines = (r: ReservationRecord) => r.lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));

export const stockReserved = (r: ReservationRecord): EventEnvelope<StockReservedV1> =>
  newEvent('products', ProductsEvents.StockReserved, { reservationId: r.reservationId, lines: lines(r), expiresAt: r.expiresAt });

export const stockReleased = (r: ReservationRecord, reason: StockReleasedV1['reason']): EventEnvelope<StockReleasedV1> =>
  newEvent('products', ProductsEvents.StockReleased, { reservationId: r.reservationId, lines: lines(r), reason });

export const stockCommitted = (r: ReservationRecord): EventEnvelope<StockCommittedV1> =>
  newEvent('products', ProductsEvents.StockCommitted, { reservationId: r.reservationId, lines: lines(r) });

export const orderStockReturned = (r: StockReturnRecord, lines: OrderStockReturnedV1['lines']): EventEnvelope<OrderStockReturnedV1> =>
  newEvent('products', ProductsEvents.OrderStockReturned, { orderId: r.orderId, lines, returnedAt: new Date().toISOString() });
