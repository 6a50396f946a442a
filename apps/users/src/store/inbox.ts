import type { Inbox } from '@polystore/platform';
import type { PrismaClient, Tx } from './prisma.js';

/** Idempotent consumption for users' consumers: the inbox row and the effect commit together. */
export class PostgresInbox implements Inbox<Tx> {
  constructor(private readonly prisma: PrismaClient) {}

  once(consumer: string, eventId: string, effect: (tx: Tx) => Promise<void>): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO inbox (consumer, event_id) VALUES (${consumer}, ${eventId}::uuid) ON CONFLICT DO NOTHING`;
      if (inserted === 0) return false;
      await effect(tx);
      return true;
    });
  }
}
