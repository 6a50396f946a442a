import type { UserErasedV1 } from '../erasure/events.js';

/** Event types messaging emits, with their schema version. */
export const MessagingEvents = {
  MessageSent: { type: 'MessageSent', version: 1 },
  /** The answer to an erasure: the shared contract of libs/contracts/src/erasure (declared again here, equal to it). */
  UserErased: { type: 'UserErased', version: 1 },
} as const;

/** What each messaging event carries, by type (at the version above). */
export interface MessagingEventData {
  [MessagingEvents.MessageSent.type]: MessageSentV1;
  [MessagingEvents.UserErased.type]: UserErasedV1;
}

/** A direct message was stored. The text itself stays in messaging; consumers get its length. */
export interface MessageSentV1 {
  messageId: string;
  conversationId: string;
  /** Position in the conversation, 1-based, without gaps. */
  seq: number;
  senderId: string;
  recipientId: string;
  textLength: number;
  sentAt: string;
}
