import { MessagingEvents, type EventEnvelope, type MessageSentV1 } from '@polystore/contracts';
import { newEvent } from '@polystore/platform';
import { messageIdOf } from '../domain/conversation.js';

/**
 * The MessageSent event of one send. Its id is made before the seq is known (it also marks the
 * send as pending on the conversation); the seq-dependent fields are filled in per attempt.
 */
export function messageSent(m: { conversationId: string; senderId: string; recipientId: string; text: string; sentAt: Date }): {
  sendId: string;
  forSeq: (seq: number) => EventEnvelope<MessageSentV1>;
} {
  const base = newEvent<MessageSentV1>('messaging', MessagingEvents.MessageSent, {
    messageId: '',
    conversationId: m.conversationId,
    seq: 0,
    senderId: m.senderId,
    recipientId: m.recipientId,
    textLength: m.text.length,
    sentAt: m.sentAt.toISOString(),
  });
  return {
    sendId: base.id,
    forSeq: (seq) => ({ ...base, data: { ...base.data, seq, messageId: messageIdOf(m.conversationId, seq) } }),
  };
}
