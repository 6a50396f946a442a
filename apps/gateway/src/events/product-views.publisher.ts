import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { GatewayEvents, type ProductViewedV1 } from '@polystore/contracts';
import { EventPublisher, NatsLink, ensureEventStream, newEvent } from '@polystore/platform';

/** Publishes waiting for JetStream's ack beyond this many are dropped rather than queued. */
const MAX_IN_FLIGHT = 5_000;
const STREAM_RETRY_MS = 2_000;

/**
 * Publishes ProductViewed.v1 when a product page is served: fire-and-forget, so a slow or absent
 * JetStream never fails or slows the page. The gateway has no store and hence no outbox: a view
 * lost while NATS is down is an accepted loss (views are statistics, not state).
 */
@Injectable()
export class ProductViewsPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ProductViews');
  private readonly publisher: EventPublisher;
  private inFlight = 0;
  private retry: NodeJS.Timeout | null = null;
  /** Views not published (NATS down, stream missing, too many in flight). */
  dropped = 0;

  constructor(@Inject(NatsLink) private readonly link: NatsLink) {
    this.publisher = new EventPublisher(link.connection, 5_000);
  }

  onApplicationBootstrap(): void {
    void this.ensureStream();
  }

  onApplicationShutdown(): void {
    if (this.retry) clearTimeout(this.retry);
  }

  /** Never throws and never waits. */
  viewed(productId: string, userId: string | null): void {
    if (!this.link.isConnected || this.inFlight >= MAX_IN_FLIGHT) {
      this.drop('NATS is unavailable or too many views are waiting for JetStream');
      return;
    }
    const event = newEvent<ProductViewedV1>('gateway', GatewayEvents.ProductViewed, { productId, userId });
    this.inFlight++;
    this.publisher
      .publish(event)
      .catch((error: Error) => this.drop(error.message))
      .finally(() => this.inFlight--);
  }

  /** EVENTS_GATEWAY is the gateway's own stream; it creates it, retrying in the background until NATS answers. */
  private async ensureStream(): Promise<void> {
    try {
      await ensureEventStream(this.link.connection, 'gateway');
    } catch (error) {
      this.logger.warn(`could not ensure the gateway's event stream yet: ${(error as Error).message}`);
      this.retry = setTimeout(() => void this.ensureStream(), STREAM_RETRY_MS);
      this.retry.unref();
    }
  }

  private drop(reason: string): void {
    this.dropped++;
    if (this.dropped === 1 || this.dropped % 1_000 === 0) this.logger.warn(`${this.dropped} product view(s) not published so far: ${reason}`);
  }
}
