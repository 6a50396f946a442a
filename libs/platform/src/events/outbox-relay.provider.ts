import type { OnApplicationBootstrap, OnApplicationShutdown, Provider } from '@nestjs/common';
import { eventStreamName, type EventProducer } from '@polystore/contracts';
import type { InjectTokens } from '../di/inject-tokens.js';
import { AppMetrics } from '../metrics/app-metrics.js';
import { NatsLink } from '../nats/connection.js';
import type { StoreAvailability } from '../store/store-availability.js';
import { STORE_AVAILABILITY } from '../store/store-gate.js';
import { OutboxRelay, type OutboxRelayOptions, type OutboxStore } from './outbox-relay.js';

export interface OutboxRelaySpec<Deps extends readonly unknown[]> {
  /** Whose stream the events go to (ensured at start). */
  producer: EventProducer;
  /** Builds the store's outbox from the providers in `inject`. */
  outbox: (...deps: Deps) => OutboxStore;
  inject: NoInfer<InjectTokens<Deps>>;
  options: OutboxRelayOptions;
}

/**
 * The app's outbox relay, run for the life of the app: started at bootstrap (after the schema
 * setup), stopped at shutdown.
 *
 *   outboxRelay({
 *     producer: 'cart',
 *     outbox: (outbox: CartOutbox) => outbox,
 *     inject: [CartOutbox],
 *     options: { batchSize: 200, pollIntervalMs: 500, maxBackoffMs: 5_000 },
 *   })
 */
export function outboxRelay<Deps extends readonly unknown[]>(spec: OutboxRelaySpec<Deps>): Provider {
  return {
    provide: Symbol(`OutboxRelay:${spec.producer}`),
    useFactory: (nats: NatsLink, availability: StoreAvailability | undefined, metrics: AppMetrics | undefined, ...deps: Deps) =>
      new OutboxRelayLifecycle(nats, spec.producer, spec.outbox(...deps), { ...spec.options, availability }, metrics),
    inject: [NatsLink, { token: STORE_AVAILABILITY, optional: true }, { token: AppMetrics, optional: true }, ...spec.inject],
  };
}

class OutboxRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private relay: OutboxRelay | null = null;
  private removeProbe: (() => void) | null = null;

  constructor(
    private readonly nats: NatsLink,
    private readonly producer: EventProducer,
    private readonly outbox: OutboxStore,
    private readonly options: OutboxRelayOptions,
    private readonly metrics?: AppMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const metrics = this.metrics;
    const stream = { stream: eventStreamName(this.producer) };
    if (metrics) {
      // Read from the store, not the relay: it still answers while NATS is away and the relay cannot publish.
      this.removeProbe = metrics.addProbe(
        'outbox',
        async () => {
          const { pending, oldestWrittenAt } = await this.outbox.backlog();
          metrics.outboxPending.set(stream, pending);
          metrics.outboxOldestAge.set(stream, oldestWrittenAt ? Math.max(0, (Date.now() - oldestWrittenAt.getTime()) / 1_000) : 0);
        },
        [metrics.outboxPending, metrics.outboxOldestAge],
      );
    }
    this.relay = await OutboxRelay.startFor(this.nats.connection, this.producer, this.outbox, this.options, metrics);
  }

  async onApplicationShutdown(): Promise<void> {
    this.removeProbe?.();
    await this.relay?.stop();
  }
}
