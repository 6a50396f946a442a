/** Event types messaging emits, with their schema version. */
export const MessagingEvents = {
  MessageSent: { type: 'MessageSent', version: 1 },
} as const;

/** What each messaging event carries, by type (at the version above). */
export interface MessagingEventData {
  [MessagingEvents.MessageSent.type]: MessageSentV1;
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
