import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  CartEvents,
  ProductsEvents,
  UsersEvents,
  eventStreamName,
  eventSubject,
  type CheckoutCompletedV1,
  type CheckoutFailedV1,
  type EventEnvelope,
  type ProductPriceChangedV1,
  type EventProducer,
  type UserRegisteredV1,
} from '@polystore/contracts';
import { EventConsumer, NatsLink, startWhenStreamExists, type Inbox } from '@polystore/platform';
import { checkoutFailed, priceDrop, receipt, welcome } from '../domain/notifications.js';
import { NotificationsStore } from '../store/notifications.store.js';
import { WatchesStore } from '../store/watches.store.js';

/**
 * Each effect is a notification insert under the unique (eventId, userId) index, so a
 * redelivered event inserts nothing: the write itself is the inbox record.
 */
const idempotentByEventId: Inbox<void> = {
  async once(_consumer, _eventId, effect) {
    await effect(undefined);
    return true;
  },
};

interface Feed {
  producer: EventProducer;
  durable: string;
  /** One subject per consumer: nats-server 2.9 (Debian's) filters on one subject only. */
  subject: string;
}

const FEEDS: Feed[] = [
  { producer: 'users', durable: 'messaging-welcome', subject: eventSubject('users', UsersEvents.UserRegistered.type, UsersEvents.UserRegistered.version) },
  { producer: 'cart', durable: 'messaging-checkouts', subject: 'events.cart.>' },
  { producer: 'products', durable: 'messaging-price-drops', subject: eventSubject('products', ProductsEvents.ProductPriceChanged.type, ProductsEvents.ProductPriceChanged.version) },
];

/** Turns other services' events into notifications: welcome, receipt, failed checkout, price drop. */
@Injectable()
export class NotificationConsumers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('NotificationConsumers');
  private readonly consumers: EventConsumer<void>[] = [];
  private readonly cancelStarts: Array<() => void> = [];

  constructor(
    @Inject(NotificationsStore) private readonly notifications: NotificationsStore,
    @Inject(WatchesStore) private readonly watches: WatchesStore,
    @Inject(NatsLink) private readonly nats: NatsLink,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(FEEDS.map((feed) => this.start(feed)));
  }

  private async start(feed: Feed): Promise<void> {
    const stream = eventStreamName(feed.producer);
    const cancel = await startWhenStreamExists(stream, async () => {
      const consumer = new EventConsumer<void>(this.nats.connection, {
        service: 'messaging',
        durable: feed.durable,
        stream,
        subjects: [feed.subject],
        inbox: idempotentByEventId,
        handle: (event) => this.apply(event),
      });
      await consumer.start();
      this.consumers.push(consumer);
    }, this.logger);
    this.cancelStarts.push(cancel);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const cancel of this.cancelStarts) cancel();
    await Promise.all(this.consumers.map((c) => c.stop()));
  }

  async apply(event: EventEnvelope): Promise<void> {
    switch (event.type) {
      case UsersEvents.UserRegistered.type: {
        const d = event.data as UserRegisteredV1;
        await this.notifications.notify(event.id, [d.userId], welcome(d), new Date(event.occurredAt));
        return;
      }
      case CartEvents.CheckoutCompleted.type: {
        const d = event.data as CheckoutCompletedV1;
        await this.notifications.notify(event.id, [d.userId], receipt(d), new Date(event.occurredAt));
        return;
      }
      case CartEvents.CheckoutFailed.type: {
        const d = event.data as CheckoutFailedV1;
        await this.notifications.notify(event.id, [d.userId], checkoutFailed(d), new Date(event.occurredAt));
        return;
      }
      case ProductsEvents.ProductPriceChanged.type: {
        const d = event.data as ProductPriceChangedV1;
        const content = priceDrop(d);
        if (!content) return;
        for await (const userIds of this.watches.watchers(d.productId)) {
          await this.notifications.notify(event.id, userIds, content, new Date(event.occurredAt));
        }
        return;
      }
      default:
        return; // other events on these streams do not concern messaging
    }
  }
}
