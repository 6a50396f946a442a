import type { EventEnvelope } from '@polystore/contracts';
import type { OutboxBacklog, OutboxStore } from '@polystore/platform';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { Prisma, PrismaClient, Tx } from './prisma.js';

/** Writes an event into the outbox inside the caller's transaction. */
export async function addToOutbox(tx: Tx, event: EventEnvelope): Promise<void> {
  await tx.outboxEvent.create({
    data: { id: event.id, type: event.type, envelope: event as unknown as Prisma.InputJsonValue },
  });
}

/**
 * The relay's view of the users outbox in PostgreSQL. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several instances never publish the same row at the same
 * time; a crash after publishing but before marking only causes a republish, which
 * JetStream drops by Nats-Msg-Id.
 */
export class PostgresOutbox implements OutboxStore {
  private readonly logger = new Logger('PostgresOutbox');

  constructor(
    private readonly prisma: PrismaClient,
    private readonly databaseUrl: string,
  ) {}

  drain(limit: number, publish: (events: EventEnvelope[]) => Promise<string[]>): Promise<number> {
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<Array<{ envelope: EventEnvelope }>>`
          SELECT envelope FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        const published = await publish(rows.map((r) => r.envelope));
        if (published.length > 0) {
          await tx.outboxEvent.updateMany({ where: { id: { in: published } }, data: { publishedAt: new Date() } });
        }
        return published.length;
      },
      { timeout: 60_000, maxWait: 5_000 },
    );
  }

  /** Served by the (published_at, seq) index: unsent rows only. */
  async backlog(): Promise<OutboxBacklog> {
    const [row] = await this.prisma.$queryRaw<Array<{ pending: bigint; oldest: Date | null }>>`
      SELECT count(*) AS pending, min(created_at) AS oldest FROM outbox WHERE published_at IS NULL`;
    return { pending: Number(row?.pending ?? 0), oldestWrittenAt: row?.oldest ?? null };
  }

  /** LISTEN on the channel the outbox trigger NOTIFYs at commit; reconnects if the connection drops. */
  async onCommitted(wake: () => void): Promise<() => Promise<void>> {
    let client: pg.Client | null = null;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    const connect = async (): Promise<void> => {
      if (stopped) return;
      const c = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 5_000 });
      c.on('notification', () => wake());
      c.on('error', (error) => {
        this.logger.warn(`outbox listener lost its connection: ${error.message}`);
        c.end().catch(() => undefined);
        if (client === c) client = null;
        scheduleReconnect();
      });
      try {
        await c.connect();
        await c.query('LISTEN users_outbox');
        client = c;
        wake(); // catch up on anything committed while not listening
      } catch (error) {
        this.logger.warn(`outbox listener cannot connect: ${(error as Error).message}`);
        await c.end().catch(() => undefined);
        scheduleReconnect();
      }
    };
    const scheduleReconnect = () => {
      if (stopped || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, 1_000);
    };
    await connect();
    return async () => {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    };
  }
}
