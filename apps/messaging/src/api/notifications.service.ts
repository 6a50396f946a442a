import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  ProductsRpc,
  type MarkedRead,
  type Notification,
  type NotificationPage,
  type UnreadCount,
  type Watch,
  type WatchPage,
} from '@polystore/contracts';
import { RpcClient, RpcError } from '@polystore/platform';
import { decodeCursor, encodeCursor, isUuidText } from '../domain/cursor.js';
import { NotificationsStore } from '../store/notifications.store.js';
import { WatchesStore } from '../store/watches.store.js';

/** The user's inbox of notifications, and the products they watch for price drops. */
@Injectable()
export class NotificationsService {
  constructor(
    @Inject(NotificationsStore) private readonly notifications: NotificationsStore,
    @Inject(WatchesStore) private readonly watches: WatchesStore,
    @Inject(RpcClient) private readonly rpc: RpcClient,
  ) {}

  async list(userId: string, options: { unread?: boolean; cursor?: string; limit?: number }): Promise<NotificationPage> {
    const before = decodeCursor(options.cursor, isUuidText);
    if (before === 'invalid') throw badCursor();
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.notifications.list(userId, { unreadOnly: options.unread === true, before, limit });
    const last = page.items[page.items.length - 1];
    return { items: page.items, nextCursor: page.more && last ? encodeCursor(last.id) : null };
  }

  async unread(userId: string): Promise<UnreadCount> {
    return { unread: await this.notifications.unreadCount(userId) };
  }

  async markRead(userId: string, notificationId: string): Promise<Notification> {
    const notification = await this.notifications.markRead(userId, notificationId);
    if (!notification) throw RpcError.notFound('notification', { notificationId });
    return notification;
  }

  async markAllRead(userId: string): Promise<MarkedRead> {
    return { marked: await this.notifications.markAllRead(userId) };
  }

  /** 404 from products for an unknown product travels back as it is. */
  async watch(userId: string, productId: string): Promise<Watch> {
    await this.rpc.send(ProductsRpc.get, { id: productId });
    return this.watches.watch(userId, productId);
  }

  /** Idempotent: unwatching a product not watched is fine too. */
  async unwatch(userId: string, productId: string): Promise<{ removed: boolean }> {
    return { removed: await this.watches.unwatch(userId, productId) };
  }

  async listWatches(userId: string, cursor: string | undefined, limit = DEFAULT_PAGE_SIZE): Promise<WatchPage> {
    const after = decodeCursor(cursor, isUuidText);
    if (after === 'invalid') throw badCursor();
    const page = await this.watches.list(userId, after, limit);
    const last = page.items[page.items.length - 1];
    return { items: page.items, nextCursor: page.more && last ? encodeCursor(last.productId) : null };
  }
}

const badCursor = () => RpcError.validation('cursor is not one this service returned', [{ field: 'cursor', problems: ['unknown cursor'] }]);
