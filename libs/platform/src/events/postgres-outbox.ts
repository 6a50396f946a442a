import { Logger } from '@nestjs/common';
import type { EventEnvelope, ServiceName } from '@polystore/contracts';
import { outboxDrainTransaction, type PostgresClient, type PostgresConnection, type PostgresDatabase, type PostgresSql } from '../store/postgres.js';
import { outboxChannel } from '../schema/postgres-outbox-sql.js';
import type { Inbox } from './consumer.js';
import type { OutboxBacklog, OutboxStore } from './outbox-relay.js';

// The outbox and inbox of a PostgreSQL service, on the tables and trigger that
// `postgresOutboxInboxSql` creates, run through the owner's own Prisma client and connections.

/** Writes an event into the outbox inside the caller's transaction (`tx`: the owner's transaction client). */
export async function writeToOutbox(tx: PostgresSql, event: EventEnvelope): Promise<void> {
  await tx.$executeRawUnsafe('INSERT INTO outbox (id, type, envelope) VALUES ($1::uuid, $2, $3::jsonb)', event.id, event.type, JSON.stringify(event));
}

/**
 * The relay's view of a PostgreSQL outbox. Rows are claimed with FOR UPDATE SKIP LOCKED, so
 * several instances never publish the same row at the same time; a crash after publishing but
 * before marking only causes a republish, which JetStream drops by Nats-Msg-Id.
 */
export class PostgresOutbox<Tx extends PostgresSql> implements OutboxStore {
  private readonly logger: Logger;

  constructor(
    /** The owner's database: its pool's transactions for the drain, a connection of its own for LISTEN. */
    private readonly db: PostgresDatabase<PostgresClient<Tx>>,
    /** The owning service: its database's NOTIFY channel is `<service>_outbox`. */
    private readonly service: ServiceName,
  ) {
    this.logger = new Logger(`PostgresOutbox:${service}`);
  }

  drain(limit: number, publish: (events: EventEnvelope[]) => Promise<string[]>): Promise<number> {
    return this.db.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRawUnsafe<Array<{ envelope: EventEnvelope }>>(
        'SELECT envelope FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED',
        limit,
      );
      if (rows.length === 0) return 0;
      const published = await publish(rows.map((r) => r.envelope));
      if (published.length > 0) await tx.$executeRawUnsafe('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', published);
      return published.length;
    }, outboxDrainTransaction(this.db.operationTimeoutMs));
  }

  /** Served by the (published_at, seq) index: unsent rows only. */
  async backlog(): Promise<OutboxBacklog> {
    const [row] = await this.db.prisma.$queryRawUnsafe<Array<{ pending: bigint; oldest: Date | null }>>(
      'SELECT count(*) AS pending, min(created_at) AS oldest FROM outbox WHERE published_at IS NULL',
    );
    return { pending: Number(row?.pending ?? 0), oldestWrittenAt: row?.oldest ?? null };
  }

  /** LISTEN on the channel the outbox trigger NOTIFYs at commit; reconnects if the connection drops. */
  async onCommitted(wake: () => void): Promise<() => Promise<void>> {
    const channel = outboxChannel(this.service);
    let connection: PostgresConnection | null = null;
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
      const c = this.db.openConnection(5_000);
      c.on('notification', () => wake());
      c.on('error', (error) => {
        this.logger.warn(`outbox listener lost its connection: ${error.message}`);
        c.end().catch(() => undefined);
        if (connection === c) connection = null;
        scheduleReconnect();
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${channel}`);
        connection = c;
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
      await connection?.end().catch(() => undefined);
    };
  }
}

export interface PostgresInboxOptions {
  /**
   * An error after which the whole transaction (inbox row and effect) runs again, up to `attempts`
   * times in all: e.g. an optimistic-concurrency conflict, where the next attempt reads fresh state.
   */
  runAgainOn?: { error: (error: unknown) => boolean; attempts: number };
}

/** Idempotent consumption: the inbox row and the effect commit together, or neither does. */
export class PostgresInbox<Tx extends PostgresSql> implements Inbox<Tx> {
  constructor(
    private readonly db: PostgresClient<Tx>,
    private readonly options: PostgresInboxOptions = {},
  ) {}

  async once(consumer: string, eventId: string, effect: (tx: Tx) => Promise<void>): Promise<boolean> {
    const again = this.options.runAgainOn;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.$transaction(async (tx) => {
          const inserted = await tx.$executeRawUnsafe(
            'INSERT INTO inbox (consumer, event_id) VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING',
            consumer,
            eventId,
          );
          if (inserted === 0) return false;
          await effect(tx);
          return true;
        });
      } catch (error) {
        if (!again || !again.error(error) || attempt >= again.attempts) throw error;
      }
    }
  }
}
