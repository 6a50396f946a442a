import { Inject, Injectable } from '@nestjs/common';
import { CartEvents, OrdersEvents, ProductsEvents, UsersEvents } from '@polystore/contracts';
import { NO_INBOX, type EventHandlerSet, type EventHandlers } from '@polystore/platform';
import { checkoutFailed, orderCancelled, priceDrop, receipt, welcome } from '../domain/notifications.js';
import { NotificationsStore } from '../store/notifications.store.js';
import { WatchesStore } from '../store/watches.store.js';

/** Turns other services' events into notifications: welcome, receipt, failed checkout, price drop, cancelled order. */
@Injectable()
export class NotificationHandlers implements EventHandlerSet<void> {
  /**
   * Each effect is a notification insert under the unique (eventId, userId) index, so a
   * redelivered event inserts nothing: the write itself is the inbox record.
   */
  readonly inbox = NO_INBOX;

  /** Other events on the streams read (e.g. CartItemAdded) do not concern messaging. */
  readonly handlers: EventHandlers = {
    [UsersEvents.UserRegistered.type]: async (event) => {
      await this.notifications.notify(event.id, [event.data.userId], welcome(event.data), new Date(event.occurredAt));
    },
    [CartEvents.CheckoutCompleted.type]: async (event) => {
      await this.notifications.notify(event.id, [event.data.userId], receipt(event.data), new Date(event.occurredAt));
    },
    [CartEvents.CheckoutFailed.type]: async (event) => {
      await this.notifications.notify(event.id, [event.data.userId], checkoutFailed(event.data), new Date(event.occurredAt));
    },
    [OrdersEvents.OrderCancelled.type]: async (event) => {
      await this.notifications.notify(event.id, [event.data.userId], orderCancelled(event.data), new Date(event.occurredAt));
    },
    [ProductsEvents.ProductPriceChanged.type]: async (event) => {
      const content = priceDrop(event.data);
      if (!content) return;
      for await (const userIds of this.watches.watchers(event.data.productId)) {
        await this.notifications.notify(event.id, userIds, content, new Date(event.occurredAt));
      }
    },
  };

  constructor(
    @Inject(NotificationsStore) private readonly notifications: NotificationsStore,
    @Inject(WatchesStore) private readonly watches: WatchesStore,
  ) {}
}
