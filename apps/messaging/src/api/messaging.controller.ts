import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  ConversationRequest,
  ListConversationsRequest,
  ListMessagesRequest,
  ListNotificationsRequest,
  ListWatchesRequest,
  MessagingRpc,
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
import { RpcHandler } from '@polystore/platform';
import { ConversationsService } from './conversations.service.js';
import { NotificationsService } from './notifications.service.js';

/** Messaging RPCs; the user id comes from the caller (the gateway takes it from the token). */
@Controller()
export class MessagingController {
  constructor(
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
    @Inject(ConversationsService) private readonly conversations: ConversationsService,
  ) {}

  @RpcHandler(MessagingRpc.listNotifications)
  listNotifications(@Payload() r: ListNotificationsRequest): Promise<NotificationPage> {
    return this.notifications.list(r.userId, r);
  }

  @RpcHandler(MessagingRpc.unreadNotifications)
  unreadNotifications(@Payload() r: UserIdRequest): Promise<UnreadCount> {
    return this.notifications.unread(r.userId);
  }

  @RpcHandler(MessagingRpc.markNotificationRead)
  markNotificationRead(@Payload() r: NotificationRequest): Promise<Notification> {
    return this.notifications.markRead(r.userId, r.notificationId);
  }

  @RpcHandler(MessagingRpc.markAllNotificationsRead)
  markAllNotificationsRead(@Payload() r: UserIdRequest): Promise<MarkedRead> {
    return this.notifications.markAllRead(r.userId);
  }

  @RpcHandler(MessagingRpc.watchProduct)
  watch(@Payload() r: WatchRequest): Promise<Watch> {
    return this.notifications.watch(r.userId, r.productId);
  }

  @RpcHandler(MessagingRpc.unwatchProduct)
  unwatch(@Payload() r: WatchRequest): Promise<{ removed: boolean }> {
    return this.notifications.unwatch(r.userId, r.productId);
  }

  @RpcHandler(MessagingRpc.listWatches)
  listWatches(@Payload() r: ListWatchesRequest): Promise<WatchPage> {
    return this.notifications.listWatches(r.userId, r.cursor, r.limit);
  }

  @RpcHandler(MessagingRpc.sendMessage)
  send(@Payload() r: SendMessageRequest): Promise<Message> {
    return this.conversations.sendToUser(r.senderId, r.recipientId, r.text);
  }

  @RpcHandler(MessagingRpc.sendToConversation)
  sendToConversation(@Payload() r: SendToConversationRequest): Promise<Message> {
    return this.conversations.sendToConversation(r.senderId, r.conversationId, r.text);
  }

  @RpcHandler(MessagingRpc.listConversations)
  listConversations(@Payload() r: ListConversationsRequest): Promise<ConversationPage> {
    return this.conversations.list(r.userId, r.cursor, r.limit);
  }

  @RpcHandler(MessagingRpc.listMessages)
  listMessages(@Payload() r: ListMessagesRequest): Promise<MessagePage> {
    return this.conversations.messages(r.userId, r.conversationId, r.cursor, r.limit);
  }

  @RpcHandler(MessagingRpc.markConversationRead)
  markConversationRead(@Payload() r: ConversationRequest): Promise<MarkedRead> {
    return this.conversations.markRead(r.userId, r.conversationId);
  }
}
