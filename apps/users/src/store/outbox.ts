import type { EventEnvelope } from '@polystore/contracts';
import { PostgresOutbox, writeToOutbox } from '@polystore/platform';
import type { Tx } from './prisma.js';
import type { UsersDatabase } from './users-database.js';

/** Writes an event into users' outbox inside the caller's transaction. */
export const addToOutbox = (tx: Tx, event: EventEnvelope): Promise<void> => writeToOutbox(tx, event);

/** The relay's view of users' outbox: the platform's PostgreSQL outbox on users' own connections. */
export const usersOutbox = (db: UsersDatabase): PostgresOutbox<Tx> => new PostgresOutbox(db, 'users');
