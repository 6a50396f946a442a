import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, registerDecorator } from 'class-validator';
import { IsNulFree, Trimmed } from '../validation.js';

export const MAX_MESSAGE_LENGTH = 4000;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** `<userA>_<userB>`: the two participants' ids, lower-case, in ascending order. */
export const CONVERSATION_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A conversation id: two user UUIDs, ascending, joined by `_`. */
export function isConversationId(value: unknown): value is string {
  if (typeof value !== 'string' || !CONVERSATION_ID.test(value)) return false;
  const [a, b] = value.split('_') as [string, string];
  return a < b;
}

export function IsConversationId(property = 'conversationId') {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isConversationId',
      target: target.constructor,
      propertyName,
      validator: {
        validate: isConversationId,
        defaultMessage: () => `${property} must be two user UUIDs joined by _ in ascending order`,
      },
    });
}

/** Opaque page cursors: short, URL-safe. */
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;

/** Query strings arrive as text: whole numbers and booleans are converted only when they are exactly that. */
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,6}$/.test(value) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** Cursor pagination, newest first: pass the previous page's `nextCursor` to get the next one. */
export class PageQuery {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(CURSOR, { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}

export class NotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only notifications not yet read' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;
}

export class ListNotificationsRequest extends NotificationsQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
}

export class NotificationRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID(undefined, { message: 'notificationId must be a UUID' }) notificationId!: string;
}

export class WatchRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID(undefined, { message: 'productId must be a UUID' }) productId!: string;
}

export class ListWatchesRequest extends PageQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
}

/** The body of `POST /messages` (a new or existing conversation with that user). */
export class MessageToUser {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'recipientId must be a UUID' })
  recipientId!: string;

  @ApiProperty({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH })
  @Trimmed()
  @IsString()
  @Length(1, MAX_MESSAGE_LENGTH, { message: `text must be 1 to ${MAX_MESSAGE_LENGTH} characters (not only spaces)` })
  @IsNulFree('text')
  text!: string;
}

/** The body of `POST /conversations/:id/messages`. */
export class MessageText {
  @ApiProperty({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH })
  @Trimmed()
  @IsString()
  @Length(1, MAX_MESSAGE_LENGTH, { message: `text must be 1 to ${MAX_MESSAGE_LENGTH} characters (not only spaces)` })
  @IsNulFree('text')
  text!: string;
}

export class SendMessageRequest extends MessageToUser {
  @ApiProperty({ format: 'uuid' }) @IsUUID() senderId!: string;
}

export class SendToConversationRequest extends MessageText {
  @ApiProperty({ format: 'uuid' }) @IsUUID() senderId!: string;

  @ApiProperty({ example: '0193…_0194…' })
  @IsConversationId()
  conversationId!: string;
}

export class ListConversationsRequest extends PageQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
}

export class ConversationRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;

  @ApiProperty()
  @IsConversationId()
  conversationId!: string;
}

export class ListMessagesRequest extends PageQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;

  @ApiProperty()
  @IsConversationId()
  conversationId!: string;
}
