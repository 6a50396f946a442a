import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APPS } from '@polystore/manifest';
import { UsersEvents, eventStreamName, type EventProducer } from '@polystore/contracts';
import { AppMetrics, JetStreamBatchConsumer, NatsLink, startWhenStreamExists, streamSequenceOf, watchDurableConsumers } from '@polystore/platform';
import { ANALYTICS_CONFIG, type AnalyticsConfig } from '../config.js';
import { namesErasedUser } from '../domain/erasure.js';
import { classify, type Classified, type RawEventRow, type RejectedEventRow } from '../domain/events.js';
import { EventsStore } from '../store/events.store.js';
import { AnalyticsUserData } from '../store/user-data.eraser.js';

/** The streams analytics reads: whose events it consumes, as the manifest says (every producer's). */
export const INGESTED_PRODUCERS = APPS.analytics.consumes as readonly EventProducer[];
export const INGEST_DURABLE = 'analytics-ingest';

/**
 * Ingests every event stream into ClickHouse: one durable batch consumer per stream; each batch
 * is checked against the contracts, stored (valid events and rejected ones) and only then acked.
 */
@Injectable()
export class IngestionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AnalyticsIngestion');
  private readonly consumers = new Map<EventProducer, JetStreamBatchConsumer<Classified>>();
  private readonly cancelStarts: Array<() => void> = [];
  private stopWatching: (() => void) | null = null;
  /** Since this process started; the durable count is in events_rejected. */
  rejectedCount = 0;

  constructor(
    @Inject(EventsStore) private readonly events: EventsStore,
    @Inject(NatsLink) private readonly nats: NatsLink,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
    @Inject(AppMetrics) private readonly metrics: AppMetrics,
    @Inject(AnalyticsUserData) private readonly userData: AnalyticsUserData,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.userData.loadErased();
    this.stopWatching = watchDurableConsumers(this.metrics, this.nats.connection, 'ingestion', () =>
      this.consuming.map((producer) => ({ stream: eventStreamName(producer), durable: INGEST_DURABLE })),
    );
    await Promise.all(INGESTED_PRODUCERS.map((producer) => this.startConsumer(producer)));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopWatching?.();
    for (const cancel of this.cancelStarts) cancel();
    await Promise.all([...this.consumers.values()].map((c) => c.stop()));
  }

  /** Streams that exist are being read (the others appear when their producer first starts). */
  get consuming(): EventProducer[] {
    return [...this.consumers.keys()];
  }

  private async startConsumer(producer: EventProducer): Promise<void> {
    const stream = eventStreamName(producer);
    const cancel = await startWhenStreamExists(
      stream,
      async () => {
        const consumer = new JetStreamBatchConsumer(this.nats.connection, {
          durable: INGEST_DURABLE,
          stream,
          maxBatch: this.config.ingestion.batchSize,
          maxWaitMs: this.config.ingestion.batchMaxWaitMs,
          // Checked as each message arrives (its JSON and nats.js' message are garbage at once).
          decode: (msg) => classify({ stream, subject: msg.subject, streamSeq: streamSequenceOf(msg), body: msg.string() }),
          handle: (batch) => this.store(stream, batch),
          idOf: (classified) => classified.row.event_id || undefined,
          metrics: this.metrics,
        });
        await consumer.start();
        this.consumers.set(producer, consumer);
      },
      this.logger,
    );
    this.cancelStarts.push(cancel);
  }

  /** Stores one batch of checked messages; a rejection leaves it unacked and the consumer retries it. */
  async store(stream: string, batch: Classified[]): Promise<void> {
    const valid: RawEventRow[] = [];
    const rejected: RejectedEventRow[] = [];
    for (const result of batch) {
      if (result.ok) {
        // Erasure: the request itself names the user (its own consumer acts on it), and nothing
        // about a user already erased is stored again (a stream read again, a producer that lagged).
        if (result.row.type === UsersEvents.UserErasureRequested.type || namesErasedUser(result.row, this.userData.erased)) continue;
        valid.push(result.row);
      } else rejected.push(result.row);
    }
    await this.events.insertBatch(valid, rejected);
    if (rejected.length > 0) {
      this.rejectedCount += rejected.length;
      // Set aside for good: analytics' dead letters.
      this.metrics.consumerDeadLettered.inc({ stream, durable: INGEST_DURABLE }, rejected.length);
      const first = rejected[0]!;
      // The ids find the events (in events_rejected, in the stream); an unreadable message has none, its sequence does.
      const listed = rejected.slice(0, 20);
      this.logger.warn({
        msg: `${stream}: ${rejected.length} message(s) failed their contract and were set aside (e.g. #${first.stream_seq} ${first.event_id || '(no event id)'}: ${first.reason})`,
        ...(first.event_id ? { event_id: first.event_id } : {}),
        event_ids: listed.map((row) => row.event_id).filter(Boolean),
        stream_seqs: listed.map((row) => row.stream_seq),
        subject: first.subject,
        consumer: INGEST_DURABLE,
      });
    }
  }
}
