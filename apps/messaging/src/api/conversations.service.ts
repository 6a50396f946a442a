import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE, ErrorCode, UsersRpc, type ConversationPage, type MarkedRead, type Message, type MessagePage } from '@polystore/contracts';
import { RpcClient, RpcError } from '@polystore/platform';
import { conversationIdOf, isParticipant, otherParticipant } from '../domain/conversation.js';
import { decodeCursor, encodeCursor, isPositiveInt, isTimeAndId } from '../domain/cursor.js';
import { messageSent } from '../events/message-events.js';
import { ConversationsStore } from '../store/conversations.store.js';

/**
 * Users users has confirmed, so a send asks it once a minute per recipient at most. Users can be
 * erased: this instance forgets an erased user at once (`forget`), others within the minute.
 */
const KNOWN_USERS_MAX = 100_000;
const KNOWN_USER_TTL_MS = 60_000;

/** Direct messages between two users; only the two participants may read or write. */
@Injectable()
export class ConversationsService {
  /** User id → when users confirmed it. */
  private readonly knownUsers = new Map<string, number>();

  constructor(
    @Inject(ConversationsStore) private readonly store: ConversationsStore,
    @Inject(RpcClient) private readonly rpc: RpcClient,
  ) {}

  async sendToUser(senderId: string, recipientId: string, text: string): Promise<Message> {
    const sender = senderId.toLowerCase();
    const recipient = recipientId.toLowerCase();
    if (sender === recipient)
      throw RpcError.validation('you cannot message yourself', [{ field: 'recipientId', problems: ['must be another user'] }]);
    await this.assertUserExists(recipient);
    return this.send(conversationIdOf(sender, recipient), sender, recipient, text);
  }

  async sendToConversation(senderId: string, conversationId: string, text: string): Promise<Message> {
    const sender = senderId.toLowerCase();
    assertParticipant(conversationId, sender);
    const recipient = otherParticipant(conversationId, sender);
    await this.assertUserExists(recipient);
    return this.send(conversationId, sender, recipient, text);
  }

  async list(userId: string, cursor: string | undefined, limit = DEFAULT_PAGE_SIZE): Promise<ConversationPage> {
    const before = decodeCursor(cursor, isTimeAndId);
    if (before === 'invalid') throw badCursor();
    const page = await this.store.listFor(userId.toLowerCase(), before, limit);
    return { items: page.items, nextCursor: page.more && page.last ? encodeCursor([page.last.lastMessageAt.getTime(), page.last._id]) : null };
  }

  async messages(userId: string, conversationId: string, cursor: string | undefined, limit = DEFAULT_PAGE_SIZE): Promise<MessagePage> {
    const beforeSeq = decodeCursor(cursor, isPositiveInt);
    if (beforeSeq === 'invalid') throw badCursor();
    const conversation = await this.existing(userId, conversationId);
    const page = await this.store.messagesPage(conversation, beforeSeq, limit);
    const lowest = page.items[page.items.length - 1]?.seq;
    return { items: page.items, nextCursor: page.more && lowest ? encodeCursor(lowest) : null };
  }

  async markRead(userId: string, conversationId: string): Promise<MarkedRead> {
    const conversation = await this.existing(userId, conversationId);
    return { marked: await this.store.markRead(conversation, userId.toLowerCase(), conversation.lastSeq) };
  }

  private async send(conversationId: string, senderId: string, recipientId: string, text: string): Promise<Message> {
    const sentAt = new Date();
    const event = messageSent({ conversationId, senderId, recipientId, text, sentAt });
    return this.store.send({ conversationId, senderId, recipientId, text, sentAt, sendId: event.sendId, event: event.forSeq });
  }

  private async existing(userId: string, conversationId: string) {
    assertParticipant(conversationId, userId);
    const conversation = await this.store.get(conversationId);
    if (!conversation || conversation.lastSeq === 0) throw RpcError.notFound('conversation', { conversationId });
    return conversation;
  }

  /** 404 from users for an unknown user travels back as it is. */
  private async assertUserExists(userId: string): Promise<void> {
    if (Date.now() - (this.knownUsers.get(userId) ?? -Infinity) < KNOWN_USER_TTL_MS) return;
    await this.rpc.send(UsersRpc.getPublicUser, { userId });
    if (this.knownUsers.size >= KNOWN_USERS_MAX) this.knownUsers.clear();
    this.knownUsers.set(userId, Date.now());
  }

  /** The user was erased: a send to them asks users again (and is refused). */
  forget(userId: string): void {
    this.knownUsers.delete(userId);
  }
}

function assertParticipant(conversationId: string, userId: string): void {
  if (!isParticipant(conversationId, userId)) {
    throw new RpcError(ErrorCode.Forbidden, 'only the two participants may read or write a conversation', { conversationId });
  }
}

const badCursor = () => RpcError.validation('cursor is not one this service returned', [{ field: 'cursor', problems: ['unknown cursor'] }]);
