import { Logger } from '@nestjs/common';
import { eventStreamName, type EventEnvelope, type EventProducer } from '@polystore/contracts';
import type { NatsConnection } from '@nats-io/transport-node';
import type { StoreAvailability } from '../store/store-availability.js';
import type { AppMetrics } from '../metrics/app-metrics.js';
import { EventPublisher } from './publisher.js';
import { ensureEventStream } from './streams.js';

/**
 * What a service's store offers the relay. The store claims unsent events exclusively
 * (so several instances do not publish the same rows at once), hands them to `publish`,
 * and marks as sent exactly the ids `publish` returns, in the same step as the claim.
 */
export interface OutboxStore {
  drain(limit: number, publish: (events: EventEnvelope[]) => Promise<string[]>): Promise<number>;
  /** Calls `wake` soon after new events are committed; resolves to a function that stops listening. */
  onCommitted(wake: () => void): Promise<() => Promise<void>>;
  /** What is waiting, read cheaply at every metrics scrape (a count and one oldest-first lookup, no scan of sent events). */
  backlog(): Promise<OutboxBacklog>;
}

export interface OutboxBacklog {
  /** Events written and not yet published. */
  pending: number;
  /** When the oldest of them was written; null when none is waiting. */
  oldestWrittenAt: Date | null;
}

export interface OutboxRelayOptions {
  batchSize: number;
  /** Fallback poll, for a missed wake-up (e.g. the listener reconnecting). */
  pollIntervalMs: number;
  /** Longest pause after failures (NATS down), growing from 100 ms. */
  maxBackoffMs: number;
  /** The store's availability: while the store is away the relay waits for it instead of backing off blindly. */
  availability?: StoreAvailability | null;
}

/** Publishes committed outbox events to JetStream, woken at once after a commit and by a poll. */
export class OutboxRelay {
  private readonly logger: Logger;
  private running = false;
  private wakeUp: (() => void) | null = null;
  private wakePending = false;
  private stopListening: (() => Promise<void>) | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private failures = 0;
  private readonly stopped = new AbortController();

  constructor(
    private readonly store: OutboxStore,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
    name: string,
    private readonly metrics?: AppMetrics,
    /** The stream it publishes to, for the metrics' label. */
    private readonly stream = '',
  ) {
    this.logger = new Logger(`OutboxRelay:${name}`);
  }

  /** Ensures the producer's stream, then starts a relay publishing `store`'s outbox to it. */
  static async startFor(
    nc: NatsConnection,
    producer: EventProducer,
    store: OutboxStore,
    options: OutboxRelayOptions,
    metrics?: AppMetrics,
  ): Promise<OutboxRelay> {
    await ensureEventStream(nc, producer);
    const relay = new OutboxRelay(store, new EventPublisher(nc), options, producer, metrics, eventStreamName(producer));
    await relay.start();
    return relay;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopListening = await this.store.onCommitted(() => this.wake());
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped.abort();
    this.wake();
    await this.loopDone;
    await this.stopListening?.();
  }

  wake(): void {
    this.wakePending = true;
    this.wakeUp?.();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.wakePending = false;
      let pause = this.options.pollIntervalMs;
      try {
        while (this.running && (await this.store.drain(this.options.batchSize, (events) => this.publishAll(events))) >= this.options.batchSize) {
          // a full batch: more may be waiting
        }
        if (this.failures > 0) pause = Math.min(this.options.maxBackoffMs, 100 * 2 ** Math.min(this.failures, 10));
      } catch (error) {
        const store = this.options.availability;
        store?.reportFailure(error); // has the store probed at once
        if (store && !store.available) {
          // The store is away: nothing can be claimed or marked sent. Resume the moment it is back.
          this.logger.warn(`outbox drain paused while ${store.store} is unavailable: ${(error as Error).message}`);
          await store.whenAvailable(this.stopped.signal);
          continue;
        }
        this.failures++;
        pause = Math.min(this.options.maxBackoffMs, 100 * 2 ** Math.min(this.failures, 10));
        this.logger.warn(`outbox drain failed (${this.failures}x), retrying in ${pause} ms: ${(error as Error).message}`);
      }
      if (!this.running) break;
      if (this.wakePending && this.failures === 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  /** Publishes in order; returns the ids JetStream acknowledged (stops at the first failure). */
  private async publishAll(events: EventEnvelope[]): Promise<string[]> {
    const results = await Promise.allSettled(events.map((event) => this.publisher.publish(event)));
    const published: string[] = [];
    for (let i = 0; i < results.length; i++) {
      const result = results[i]!;
      if (result.status === 'rejected') {
        this.metrics?.outboxPublishFailures.inc({ stream: this.stream });
        this.failures++;
        if (this.failures === 1 || this.failures % 50 === 0) {
          const event = events[i]!;
          this.logger.warn({
            msg: `publishing ${event.type} ${event.id} on ${this.stream} failed (${this.failures}x): ${String((result.reason as Error)?.message ?? result.reason)}`,
            event_id: event.id,
            event_type: event.type,
            stream: this.stream,
          });
        }
        break;
      }
      published.push(events[i]!.id);
    }
    this.metrics?.outboxPublished.inc({ stream: this.stream }, published.length);
    if (published.length === events.length) this.failures = 0;
    return published;
  }
}
