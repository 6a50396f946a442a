import { PostgresInbox } from '@polystore/platform';
import { OrderVersionConflict } from '../domain/errors.js';
import type { PrismaClient, Tx } from './prisma.js';

/** Attempts of one event's transaction when another writer appended to the same order meanwhile. */
const CONFLICT_ATTEMPTS = 5;

/**
 * Idempotent consumption (the platform's PostgreSQL inbox on orders' pool): the inbox row, the
 * appended events, their outbox rows and the projections commit together. A version conflict
 * (another writer appended to the order since it was read) runs the whole transaction again on the
 * fresh stream.
 */
export const ordersInbox = (prisma: PrismaClient): PostgresInbox<Tx> =>
  new PostgresInbox(prisma, { runAgainOn: { error: (error) => error instanceof OrderVersionConflict, attempts: CONFLICT_ATTEMPTS } });
