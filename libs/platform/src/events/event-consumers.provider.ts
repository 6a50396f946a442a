import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider, type Type } from '@nestjs/common';
import { eventStreamName, type ServiceName } from '@polystore/contracts';
import type { APPS } from '@polystore/manifest';
import { AppMetrics } from '../metrics/app-metrics.js';
import { watchDurableConsumers, type DurableRef } from '../metrics/consumer-metrics.js';
import { NatsLink } from '../nats/connection.js';
import type { StoreAvailability } from '../store/store-availability.js';
import { STORE_AVAILABILITY } from '../store/store-gate.js';
import { EventConsumer, type Inbox } from './consumer.js';
import { dispatchByType, type EventHandlers } from './handlers.js';
import { startWhenStreamExists } from './streams.js';

/**
 * An app's handlers for other services' events, with the inbox that makes them idempotent
 * (`NO_INBOX` when the handlers are idempotent by themselves). An @Injectable class of the app.
 */
export interface EventHandlerSet<TTx> {
  readonly inbox: Inbox<TTx>;
  readonly handlers: EventHandlers<TTx>;
}

/** The producers whose streams a service reads: its `consumes` in the manifest (NATS grants it no others). */
export type ConsumedBy<S extends ServiceName> = (typeof APPS)[S]['consumes'][number];

export interface DurableConsumerSpec<S extends ServiceName> {
  /** Durable consumer name; also the inbox's consumer key. */
  durable: string;
  /** Whose stream it reads. */
  producer: ConsumedBy<S>;
  /** One subject per consumer while nats-server 2.9 (Debian's) is in use: it filters on one only. */
  subjects: string[];
}

export interface EventConsumersSpec<S extends ServiceName, TTx> {
  service: S;
  /** Every consumer below hands each event to this set's handler for the event's type. */
  handlers: Type<EventHandlerSet<TTx>>;
  consumers: Array<DurableConsumerSpec<S>>;
}

/**
 * Durable event consumers for the life of the app: each starts at bootstrap, or as soon as its
 * producer's stream exists (the producer may not have started yet), and all stop at shutdown.
 *
 *   eventConsumers({
 *     service: 'cart',
 *     handlers: ProductSnapshotHandlers,
 *     consumers: [{ durable: 'cart-product-snapshots', producer: 'products', subjects: ['events.products.>'] }],
 *   })
 */
export function eventConsumers<S extends ServiceName, TTx>(spec: EventConsumersSpec<S, TTx>): Provider {
  return {
    provide: Symbol(`EventConsumers:${spec.handlers.name}`),
    useFactory: (nats: NatsLink, set: EventHandlerSet<TTx>, availability?: StoreAvailability, metrics?: AppMetrics) =>
      new EventConsumersLifecycle(nats, spec, set, availability ?? null, metrics),
    inject: [NatsLink, spec.handlers, { token: STORE_AVAILABILITY, optional: true }, { token: AppMetrics, optional: true }],
  };
}

class EventConsumersLifecycle<S extends ServiceName, TTx> implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly running: Array<EventConsumer<TTx>> = [];
  private readonly cancelStarts: Array<() => void> = [];
  /** The durables started so far (a consumer starts once its producer's stream exists). */
  private readonly started: DurableRef[] = [];
  private stopWatching: (() => void) | null = null;

  constructor(
    private readonly nats: NatsLink,
    private readonly spec: EventConsumersSpec<S, TTx>,
    private readonly set: EventHandlerSet<TTx>,
    private readonly availability: StoreAvailability | null,
    private readonly metrics?: AppMetrics,
  ) {
    this.logger = new Logger(`EventConsumers:${spec.handlers.name}`);
  }

  async onApplicationBootstrap(): Promise<void> {
    const handle = dispatchByType(this.set.handlers);
    if (this.metrics) this.stopWatching = watchDurableConsumers(this.metrics, this.nats.connection, this.spec.handlers.name, () => this.started);
    await Promise.all(
      this.spec.consumers.map(async ({ durable, producer, subjects }) => {
        const stream = eventStreamName(producer);
        const cancel = await startWhenStreamExists(
          stream,
          async () => {
            const consumer = new EventConsumer<TTx>(this.nats.connection, {
              service: this.spec.service,
              durable,
              stream,
              subjects,
              inbox: this.set.inbox,
              handle,
              availability: this.availability,
              metrics: this.metrics,
            });
            await consumer.start();
            this.running.push(consumer);
            this.started.push({ stream, durable });
          },
          this.logger,
        );
        this.cancelStarts.push(cancel);
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopWatching?.();
    for (const cancel of this.cancelStarts) cancel();
    await Promise.all(this.running.map((consumer) => consumer.stop()));
  }
}
