import { PostgresOutbox } from '@polystore/platform';
import type { OrdersDatabase } from './orders-database.js';
import type { Tx } from './prisma.js';

/**
 * The relay's view of orders' outbox: the platform's PostgreSQL outbox on orders' own connections.
 * Its rows are written by OrderEventStore in the transaction that appends the events.
 */
export const ordersOutbox = (db: OrdersDatabase): PostgresOutbox<Tx> => new PostgresOutbox(db, 'orders');
