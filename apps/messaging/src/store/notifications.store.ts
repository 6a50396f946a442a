import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { Notification } from '@polystore/contracts';
import type { QueryFilter } from 'mongoose';
import { v7 as uuidv7 } from 'uuid';
import type { NotificationContent } from '../domain/notifications.js';
import { MessagingMongo } from './messaging-mongo.js';
import type { NotificationDoc } from './models.js';

const DUPLICATE_KEY = 11000;

/** Inbox notifications, one per (event, user): the unique index makes a redelivered event a no-op. */
@Injectable()
export class NotificationsStore {
  constructor(
    @Inject(MessagingMongo) private readonly mongo: MessagingMongo,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'notifications', metrics);
  }

  private get model() {
    return this.mongo.models.notifications;
  }

  /** Notifies each user once for this event; returns how many were new. */
  async notify(eventId: string, userIds: string[], content: NotificationContent, at = new Date()): Promise<number> {
    if (userIds.length === 0) return 0;
    const docs = userIds.map((userId) => ({ _id: uuidv7(), userId, eventId, ...content, createdAt: at, readAt: null }));
    try {
      const inserted = await this.model.insertMany(docs, { ordered: false });
      return inserted.length;
    } catch (error) {
      const writeErrors = (error as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }).writeErrors;
      const codes = writeErrors?.map((w) => w.code ?? w.err?.code) ?? [(error as { code?: number }).code];
      if (codes.length > 0 && codes.every((c) => c === DUPLICATE_KEY)) return docs.length - codes.length;
      throw error;
    }
  }

  /** Newest first; `before` is the id of the last notification of the previous page. */
  async list(
    userId: string,
    options: { unreadOnly: boolean; before: string | null; limit: number },
  ): Promise<{ items: Notification[]; more: boolean }> {
    const filter: QueryFilter<NotificationDoc> = { userId };
    if (options.unreadOnly) filter.readAt = null;
    if (options.before) filter._id = { $lt: options.before };
    const docs = await this.model
      .find(filter)
      .sort({ _id: -1 })
      .limit(options.limit + 1)
      .lean<NotificationDoc[]>()
      .exec();
    return { items: docs.slice(0, options.limit).map(toNotification), more: docs.length > options.limit };
  }

  async unreadCount(userId: string): Promise<number> {
    return this.model.countDocuments({ userId, readAt: null }).exec();
  }

  /** Marks one of the user's notifications read (keeping the first read time); null if it is not theirs. */
  async markRead(userId: string, id: string, at = new Date()): Promise<Notification | null> {
    const updated = await this.model
      .findOneAndUpdate({ _id: id, userId, readAt: null }, { $set: { readAt: at } }, { returnDocument: 'after' })
      .lean<NotificationDoc>()
      .exec();
    if (updated) return toNotification(updated);
    const existing = await this.model.findOne({ _id: id, userId }).lean<NotificationDoc>().exec();
    return existing ? toNotification(existing) : null;
  }

  async markAllRead(userId: string, at = new Date()): Promise<number> {
    const result = await this.model.updateMany({ userId, readAt: null }, { $set: { readAt: at } }).exec();
    return result.modifiedCount;
  }
}

function toNotification(d: NotificationDoc): Notification {
  return {
    id: d._id,
    kind: d.kind,
    title: d.title,
    body: d.body,
    data: d.data,
    eventId: d.eventId,
    createdAt: d.createdAt.toISOString(),
    readAt: d.readAt ? d.readAt.toISOString() : null,
  };
}
