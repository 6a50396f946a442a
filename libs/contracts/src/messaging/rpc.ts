import { rpcSubject } from '../rpc.js';
import type { UserIdRequest } from '../users/requests.js';
import type { ConversationPage, MarkedRead, Message, MessagePage, Notification, NotificationPage, UnreadCount, Watch, WatchPage } from './replies.js';
import type {
  ConversationRequest,
  ListConversationsRequest,
  ListMessagesRequest,
  ListNotificationsRequest,
  ListWatchesRequest,
  NotificationRequest,
  SendMessageRequest,
  SendToConversationRequest,
  WatchRequest,
} from './requests.js';

/** messaging's request/reply subjects, with their request and reply types. */
export const MessagingRpc = {
  listNotifications: rpcSubject<ListNotificationsRequest, NotificationPage>('messaging.list-notifications.v1'),
  unreadNotifications: rpcSubject<UserIdRequest, UnreadCount>('messaging.unread-notifications.v1'),
  markNotificationRead: rpcSubject<NotificationRequest, Notification>('messaging.mark-notification-read.v1'),
  markAllNotificationsRead: rpcSubject<UserIdRequest, MarkedRead>('messaging.mark-all-notifications-read.v1'),
  watchProduct: rpcSubject<WatchRequest, Watch>('messaging.watch-product.v1'),
  unwatchProduct: rpcSubject<WatchRequest, { removed: boolean }>('messaging.unwatch-product.v1'),
  listWatches: rpcSubject<ListWatchesRequest, WatchPage>('messaging.list-watches.v1'),
  sendMessage: rpcSubject<SendMessageRequest, Message>('messaging.send-message.v1'),
  sendToConversation: rpcSubject<SendToConversationRequest, Message>('messaging.send-to-conversation.v1'),
  listConversations: rpcSubject<ListConversationsRequest, ConversationPage>('messaging.list-conversations.v1'),
  listMessages: rpcSubject<ListMessagesRequest, MessagePage>('messaging.list-messages.v1'),
  markConversationRead: rpcSubject<ConversationRequest, MarkedRead>('messaging.mark-conversation-read.v1'),
} as const;
