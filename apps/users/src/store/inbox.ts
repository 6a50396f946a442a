import { PostgresInbox } from '@polystore/platform';
import type { PrismaClient, Tx } from './prisma.js';

/** Idempotent consumption for users' consumers (the platform's PostgreSQL inbox on users' pool): the inbox row and the effect commit together. */
export const usersInbox = (prisma: PrismaClient): PostgresInbox<Tx> => new PostgresInbox(prisma);
