import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ConversationRequest,
  ListConversationsRequest,
  ListMessagesRequest,
  ListNotificationsRequest,
  ListWatchesRequest,
  MessagingSubjects,
  NotificationRequest,
  SendMessageRequest,
  SendToConversationRequest,
  UserIdRequest,
  WatchRequest,
  type ConversationPage,
  type MarkedRead,
  type Message,
  type MessagePage,
  type Notification,
  type NotificationPage,
  type UnreadCount,
  type Watch,
  type WatchPage,
} from '@polystore/contracts';
import { ConversationsService } from './conversations.service.js';
import { NotificationsService } from './notifications.service.js';

/** Messaging RPCs; the user id comes from the caller (the gateway takes it from the token). */
@Controller()
export class MessagingController {
  constructor(
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
    @Inject(ConversationsService) private readonly conversations: ConversationsService,
  ) {}

  @MessagePattern(MessagingSubjects.listNotifications)
  listNotifications(@Payload() r: ListNotificationsRequest): Promise<NotificationPage> {
    return this.notifications.list(r.userId, r);
  }

  @MessagePattern(MessagingSubjects.unreadNotifications)
  unreadNotifications(@Payload() r: UserIdRequest): Promise<UnreadCount> {
    return this.notifications.unread(r.userId);
  }

  @MessagePattern(MessagingSubjects.markNotificationRead)
  markNotificationRead(@Payload() r: NotificationRequest): Promise<Notification> {
    return this.notifications.markRead(r.userId, r.notificationId);
  }

  @MessagePattern(MessagingSubjects.markAllNotificationsRead)
  markAllNotificationsRead(@Payload() r: UserIdRequest): Promise<MarkedRead> {
    return this.notifications.markAllRead(r.userId);
  }

  @MessagePattern(MessagingSubjects.watchProduct)
  watch(@Payload() r: WatchRequest): Promise<Watch> {
    return this.notifications.watch(r.userId, r.productId);
  }

  @MessagePattern(MessagingSubjects.unwatchProduct)
  unwatch(@Payload() r: WatchRequest): Promise<{ removed: boolean }> {
    return this.notifications.unwatch(r.userId, r.productId);
  }

  @MessagePattern(MessagingSubjects.listWatches)
  listWatches(@Payload() r: ListWatchesRequest): Promise<WatchPage> {
    return this.notifications.listWatches(r.userId, r.cursor, r.limit);
  }

  @MessagePattern(MessagingSubjects.sendMessage)
  send(@Payload() r: SendMessageRequest): Promise<Message> {
    return this.conversations.sendToUser(r.senderId, r.recipientId, r.text);
  }

  @MessagePattern(MessagingSubjects.sendToConversation)
  sendToConversation(@Payload() r: SendToConversationRequest): Promise<Message> {
    return this.conversations.sendToConversation(r.senderId, r.conversationId, r.text);
  }

  @MessagePattern(MessagingSubjects.listConversations)
  listConversations(@Payload() r: ListConversationsRequest): Promise<ConversationPage> {
    return this.conversations.list(r.userId, r.cursor, r.limit);
  }

  @MessagePattern(MessagingSubjects.listMessages)
  listMessages(@Payload() r: ListMessagesRequest): Promise<MessagePage> {
    return this.conversations.messages(r.userId, r.conversationId, r.cursor, r.limit);
  }

  @MessagePattern(MessagingSubjects.markConversationRead)
  markConversationRead(@Payload() r: ConversationRequest): Promise<MarkedRead> {
    return this.conversations.markRead(r.userId, r.conversationId);
  }
}
