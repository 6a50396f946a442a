import type { EventEnvelope, NotificationKind } from '@polystore/contracts';
import { CONVERSATION_ID, MAX_MESSAGE_LENGTH, NOTIFICATION_KINDS } from '@polystore/contracts';
import { Schema, type Connection, type Model } from 'mongoose';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuid = (name: string) => ({ type: String, required: true, match: [UUID, `${name} must be a UUID`] as [RegExp, string] });
/** No silent field drops: writing a field the schema does not know is an error. */
const options = { versionKey: false, strict: 'throw' } as const;

/** One notification for one user, caused by one event (unique per event and user). */
export interface NotificationDoc {
  _id: string; // UUIDv7: time-ordered, so it is also the page position
  userId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  data: Record<string, unknown>;
  eventId: string;
  createdAt: Date;
  readAt: Date | null;
}

export interface WatchDoc {
  _id: string; // `<userId>:<productId>`: watching twice is the same document
  userId: string;
  productId: string;
  createdAt: Date;
}

/**
 * A conversation's shared state. `lastSeq` and `readSeq` only ever grow ($max), so repeating
 * an update (the relay repairing after a crash) never moves them back. `pendingSends` holds the
 * event id of each send in progress: the relay's way to find conversations with work left.
 */
export interface ConversationDoc {
  _id: string;
  participants: [string, string];
  lastSeq: number;
  /** A copy of the message at `lastSeq` (when summarized), so listing conversations reads no messages. */
  lastMessage: LastMessage | null;
  readSeq: Record<string, number>;
  publishedSeq: number;
  pendingSends: string[];
  createdAt: Date;
  lastMessageAt: Date;
  /**
   * Participants that stand for an erased user: a random id put in the erased user's place, so
   * the other side keeps the conversation (shown as "deleted user") and nothing links it to the person.
   */
  erasedParticipants?: string[];
  /** Set on an erased user's conversation while it is being moved to its new id (the erasure resumes from it). */
  replacedBy?: string;
}

export interface LastMessage {
  seq: number;
  senderId: string;
  recipientId: string;
  text: string;
  sentAt: Date;
}

/**
 * A message, with its own outbox: the MessageSent event is written in the same document write.
 * Its `_id` is its position (`<conversationId>:<seq, 10 digits>`), so every read of messages is a
 * set of `_id` lookups: the one index FerretDB 1.x can use for a query (see scripts/lib/stores/ferretdb.ts),
 * and on MongoDB the `_id` index, so the collection needs no other.
 */
export interface MessageDoc {
  _id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  recipientId: string;
  text: string;
  sentAt: Date;
  pendingEvents: EventEnvelope[];
}

export interface MessagingModels {
  notifications: Model<NotificationDoc>;
  watches: Model<WatchDoc>;
  conversations: Model<ConversationDoc>;
  messages: Model<MessageDoc>;
}

const notificationSchema = new Schema<NotificationDoc>(
  {
    _id: uuid('id'),
    userId: uuid('userId'),
    kind: { type: String, required: true, enum: NOTIFICATION_KINDS },
    title: { type: String, required: true, maxlength: 300 },
    body: { type: String, required: true, maxlength: 20_000 },
    data: { type: Schema.Types.Mixed, required: true },
    eventId: { type: String, required: true, maxlength: 100 },
    createdAt: { type: Date, required: true },
    readAt: { type: Date, default: null },
  },
  { ...options, collection: 'notifications', minimize: false },
);

const watchSchema = new Schema<WatchDoc>(
  {
    _id: { type: String, required: true },
    userId: uuid('userId'),
    productId: uuid('productId'),
    createdAt: { type: Date, required: true },
  },
  { ...options, collection: 'watches' },
);

const conversationSchema = new Schema<ConversationDoc>(
  {
    _id: { type: String, required: true, match: CONVERSATION_ID },
    participants: { type: [String], required: true, validate: (v: string[]) => v.length === 2 },
    lastSeq: { type: Number, required: true, min: 0 },
    lastMessage: { type: Schema.Types.Mixed, default: null },
    readSeq: { type: Schema.Types.Mixed, required: true },
    publishedSeq: { type: Number, required: true, min: 0 },
    pendingSends: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    lastMessageAt: { type: Date, required: true },
    erasedParticipants: { type: [String], default: undefined },
    replacedBy: { type: String, default: undefined },
  },
  { ...options, collection: 'conversations', minimize: false },
);

const messageSchema = new Schema<MessageDoc>(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true, match: CONVERSATION_ID },
    seq: { type: Number, required: true, min: 1 },
    senderId: uuid('senderId'),
    recipientId: uuid('recipientId'),
    text: { type: String, required: true, minlength: 1, maxlength: MAX_MESSAGE_LENGTH },
    sentAt: { type: Date, required: true },
    pendingEvents: { type: Schema.Types.Mixed, default: () => [], validate: (v: unknown) => Array.isArray(v) },
  },
  { ...options, collection: 'messages' },
);

export function messagingModels(connection: Connection): MessagingModels {
  return {
    notifications: connection.model<NotificationDoc>('Notification', notificationSchema),
    watches: connection.model<WatchDoc>('Watch', watchSchema),
    conversations: connection.model<ConversationDoc>('Conversation', conversationSchema),
    messages: connection.model<MessageDoc>('Message', messageSchema),
  };
}
