import type { Inbox } from '@polystore/platform';
import { OrderVersionConflict } from '../domain/errors.js';
import type { PrismaClient, Tx } from './prisma.js';

/** Attempts of one event's transaction when another writer appended to the same order meanwhile. */
const CONFLICT_ATTEMPTS = 5;

/**
 * Idempotent consumption: the inbox row, the appended events, their outbox rows and the
 * projections commit together. A version conflict (another writer appended to the order since
 * it was read) runs the whole transaction again on the fresh stream.
 */
export class PostgresInbox implements Inbox<Tx> {
  constructor(private readonly prisma: PrismaClient) {}

  async once(consumer: string, eventId: string, effect: (tx: Tx) => Promise<void>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.prisma.$transaction(async (tx) => {
          const inserted = await tx.$executeRaw`
            INSERT INTO inbox (consumer, event_id) VALUES (${consumer}, ${eventId}::uuid) ON CONFLICT DO NOTHING`;
          if (inserted === 0) return false;
          await effect(tx);
          return true;
        });
      } catch (error) {
        if (!(error instanceof OrderVersionConflict) || attempt >= CONFLICT_ATTEMPTS) throw error;
      }
    }
  }
}
