import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const NOTIFICATION_KINDS = ['welcome', 'receipt', 'checkout-failed', 'price-drop', 'order-cancelled'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export class Notification {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind!: NotificationKind;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ description: 'Details for the kind: receipt lines and total, product and prices, ...', type: Object }) data!: Record<
    string,
    unknown
  >;
  @ApiProperty({ format: 'uuid', description: 'The event that caused it' }) eventId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt!: string | null;
}

export class NotificationPage {
  @ApiProperty({ type: [Notification] }) items!: Notification[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor!:
    string | null;
}

export class UnreadCount {
  @ApiProperty() unread!: number;
}

export class MarkedRead {
  @ApiProperty({ description: 'How many were unread and are now read' }) marked!: number;
}

export class Watch {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class WatchPage {
  @ApiProperty({ type: [Watch] }) items!: Watch[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export class Message {
  @ApiProperty({ description: '<conversationId>:<seq>' }) id!: string;
  @ApiProperty() conversationId!: string;
  @ApiProperty({ description: 'Position in the conversation, 1-based' }) seq!: number;
  @ApiProperty({ format: 'uuid' }) senderId!: string;
  @ApiProperty({ format: 'uuid' }) recipientId!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ format: 'date-time' }) sentAt!: string;
}

export class MessagePage {
  @ApiProperty({ type: [Message], description: 'Newest first' }) items!: Message[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ConversationSummary {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'uuid' }) otherUserId!: string;
  @ApiProperty({ type: Message, nullable: true }) lastMessage!: Message | null;
  @ApiProperty({ description: 'Messages from the other user after the last one I read' }) unread!: number;
  @ApiProperty({ format: 'date-time' }) lastMessageAt!: string;
  @ApiPropertyOptional({ description: 'The other user was erased: show them as "deleted user" (their id stands for no one)' })
  otherUserErased?: boolean;
}

export class ConversationPage {
  @ApiProperty({ type: [ConversationSummary], description: 'Most recently active first' }) items!: ConversationSummary[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}
