import { Logger } from '@nestjs/common';
import type { EventEnvelope } from '@polystore/contracts';
import type { OutboxBacklog, OutboxStore } from '@polystore/platform';
import pg from 'pg';
import type { PrismaClient } from './prisma.js';

/**
 * The relay's view of orders' outbox (the same design as users'): rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several instances never publish the same row at once; a crash after
 * publishing and before marking only republishes, which JetStream drops by Nats-Msg-Id. The rows
 * are written by OrderEventStore in the transaction that appends the events.
 */
export class PostgresOutbox implements OutboxStore {
  private readonly logger = new Logger('OrdersOutbox');

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
        if (published.length > 0) await tx.outboxEvent.updateMany({ where: { id: { in: published } }, data: { publishedAt: new Date() } });
        return published.length;
      },
      { timeout: 60_000, maxWait: 5_000 },
    );
  }

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
    const scheduleReconnect = () => {
      if (stopped || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, 1_000);
    };
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
        await c.query('LISTEN orders_outbox');
        client = c;
        wake(); // catch up on anything committed while not listening
      } catch (error) {
        this.logger.warn(`outbox listener cannot connect: ${(error as Error).message}`);
        await c.end().catch(() => undefined);
        scheduleReconnect();
      }
    };
    await connect();
    return async () => {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    };
  }
}
