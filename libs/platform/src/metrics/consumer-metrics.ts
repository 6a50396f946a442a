import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { AppMetrics } from './app-metrics.js';

export interface DurableRef {
  stream: string;
  durable: string;
}

/**
 * At every scrape, reads each durable consumer's state from JetStream (consumer info): messages
 * not delivered yet, delivered and unacknowledged, and redelivered. Returns a function that stops it.
 */
export function watchDurableConsumers(metrics: AppMetrics, nc: NatsConnection, name: string, durables: () => DurableRef[]): () => void {
  const gauges = [metrics.consumerPending, metrics.consumerAckPending, metrics.consumerRedelivered];
  return metrics.addProbe(
    `consumers:${name}`,
    async () => {
      // No account-info probe: a consuming service's NATS user may not call $JS.API.INFO.
      const jsm = await jetstreamManager(nc, { checkAPI: false });
      await Promise.all(
        durables().map(async ({ stream, durable }) => {
          const info = await jsm.consumers.info(stream, durable);
          metrics.consumerPending.set({ stream, durable }, info.num_pending);
          metrics.consumerAckPending.set({ stream, durable }, info.num_ack_pending);
          metrics.consumerRedelivered.set({ stream, durable }, info.num_redelivered);
        }),
      );
    },
    gauges,
  );
}
