import type { OnApplicationBootstrap, OnApplicationShutdown, Provider } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { eventStreamName, type EventProducer } from '@polystore/contracts';
import { EVENT_PRODUCERS } from '@polystore/manifest';
import { Gauge } from 'prom-client';
import type { InjectTokens } from '../di/inject-tokens.js';
import { NatsLink } from '../nats/connection.js';
import { AppMetrics } from './app-metrics.js';

/** What a service's store holds, as its own engine reports it. */
export interface StoreUsage {
  /** Bytes the store's data takes on disk (Redis: the persistence files; OpenSearch: primaries and replicas). */
  diskBytes: number;
  /** Rows, documents or keys, whichever the engine counts. */
  items: number;
  /** What `items` counts: rows (PostgreSQL, ClickHouse), documents (OpenSearch, MongoDB), keys (Redis). */
  itemKind: 'rows' | 'documents' | 'keys';
  /** Bytes of its indexes (Redis has none beside the data: 0). */
  indexBytes: number;
}

/** Reads the service's store usage; lives in the service's store/ folder, the only code with its driver. */
export type StoreUsageReader = () => Promise<StoreUsage>;

/**
 * Usage per service, for cost allocation (issue 14): the store's bytes on disk, items and index
 * bytes, and the bytes and messages of the service's event stream, read at every scrape and served
 * on `/metrics` like every other figure. `npm run usage` prints the same series for every service.
 *
 *   storeUsage((db: UsersDatabase) => () => readPostgresUsage(db.prisma), [UsersDatabase])
 */
export function storeUsage<Deps extends readonly unknown[]>(
  reader: (...deps: Deps) => StoreUsageReader,
  inject: NoInfer<InjectTokens<Deps>>,
): Provider {
  return {
    provide: StoreUsageMetrics,
    useFactory: (metrics: AppMetrics, nats: NatsLink, ...deps: Deps) => new StoreUsageMetrics(metrics, nats, reader(...deps)),
    inject: [AppMetrics, NatsLink, ...inject],
  };
}

/** For an app without a store that publishes events (the gateway): its event stream's figures only. */
export function eventStreamUsage(): Provider {
  return {
    provide: StoreUsageMetrics,
    useFactory: (metrics: AppMetrics, nats: NatsLink) => new StoreUsageMetrics(metrics, nats, null),
    inject: [AppMetrics, NatsLink],
  };
}

export class StoreUsageMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly removers: Array<() => void> = [];

  constructor(
    private readonly metrics: AppMetrics,
    private readonly nats: NatsLink,
    private readonly read: StoreUsageReader | null,
  ) {}

  onApplicationBootstrap(): void {
    if (this.read) this.watchStore(this.read);
    this.watchEventStream();
  }

  private watchStore(read: StoreUsageReader): void {
    const registers = [this.metrics.registry];
    const diskBytes = new Gauge({ name: 'store_disk_bytes', help: "Bytes the service's store takes on disk", registers });
    const items = new Gauge({
      name: 'store_items',
      help: "Rows, documents or keys in the service's store (kind says which)",
      labelNames: ['kind'],
      registers,
    });
    const indexBytes = new Gauge({ name: 'store_index_bytes', help: "Bytes of the indexes of the service's store", registers });
    this.removers.push(
      this.metrics.addProbe(
        'store-usage',
        async () => {
          const usage = await read();
          diskBytes.set(usage.diskBytes);
          items.reset();
          items.set({ kind: usage.itemKind }, usage.items);
          indexBytes.set(usage.indexBytes);
        },
        [diskBytes, items, indexBytes],
      ),
    );
  }

  private watchEventStream(): void {
    const registers = [this.metrics.registry];
    const producer = this.metrics.app;
    if (!(EVENT_PRODUCERS as string[]).includes(producer)) return;
    const stream = eventStreamName(producer as EventProducer);
    const streamBytes = new Gauge({
      name: 'event_stream_bytes',
      help: "Bytes held by the service's event stream",
      labelNames: ['stream'],
      registers,
    });
    const streamMessages = new Gauge({
      name: 'event_stream_messages',
      help: "Messages held by the service's event stream",
      labelNames: ['stream'],
      registers,
    });
    this.removers.push(
      this.metrics.addProbe(
        'event-stream-usage',
        async () => {
          const jsm = await jetstreamManager(this.nats.connection, { checkAPI: false });
          const { state } = await jsm.streams.info(stream);
          streamBytes.set({ stream }, state.bytes);
          streamMessages.set({ stream }, state.messages);
        },
        [streamBytes, streamMessages],
      ),
    );
  }

  onApplicationShutdown(): void {
    for (const remove of this.removers) remove();
  }
}

/**
 * PostgreSQL's usage of the connected database, one row: `disk_bytes`, `items`, `index_bytes`.
 * Row counts are the statistics collector's live-tuple estimates (a COUNT(*) of every table at each
 * scrape would cost more than the figure is worth); sizes are exact.
 */
export const POSTGRES_USAGE_SQL = `SELECT pg_database_size(current_database())::bigint AS disk_bytes,
  (SELECT coalesce(sum(n_live_tup), 0) FROM pg_stat_user_tables)::bigint AS items,
  (SELECT coalesce(sum(pg_indexes_size(relid)), 0) FROM pg_stat_user_tables)::bigint AS index_bytes`;

export interface PostgresUsageRow {
  disk_bytes: bigint | number | string;
  items: bigint | number | string;
  index_bytes: bigint | number | string;
}

export function postgresUsage(row: PostgresUsageRow): StoreUsage {
  return { diskBytes: Number(row.disk_bytes), items: Number(row.items), itemKind: 'rows', indexBytes: Number(row.index_bytes) };
}
