import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  CONVERSATION_ID,
  ConversationPage,
  IsConversationId,
  MarkedRead,
  Message,
  MessagePage,
  MessageText,
  MessageToUser,
  MessagingRpc,
  PageQuery,
} from '@polystore/contracts';
import { RpcClient } from '@polystore/platform';
import { CurrentCaller, type Caller } from '../auth/jwt-auth.guard.js';
import { ApiErrors } from '../http/openapi.js';

class ConversationIdParam {
  @ApiProperty({ description: 'The two participants’ user ids, ascending, joined by _', pattern: CONVERSATION_ID.source })
  @IsConversationId('id')
  id!: string;
}

/** Direct messages between two users; only the two participants may read or write a conversation. */
@ApiTags('conversations')
@Controller()
export class ConversationsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Post('messages')
  @ApiCreatedResponse({ type: Message, description: 'Sent into the conversation with recipientId (started if new)' })
  @ApiErrors([404, 'no such user'], [409, 'too many messages at once in this conversation; try again'])
  send(@CurrentCaller() caller: Caller, @Body() body: MessageToUser): Promise<Message> {
    return this.rpc.send(MessagingRpc.sendMessage, { ...body, senderId: caller.id });
  }

  @Get('conversations')
  @ApiOkResponse({ type: ConversationPage, description: 'Mine, most recently active first, with last message and unread count' })
  list(@CurrentCaller() caller: Caller, @Query() query: PageQuery): Promise<ConversationPage> {
    return this.rpc.send(MessagingRpc.listConversations, { ...query, userId: caller.id });
  }

  @Get('conversations/:id/messages')
  @ApiOkResponse({ type: MessagePage, description: 'Newest first' })
  @ApiErrors([403, 'not a participant'])
  messages(@CurrentCaller() caller: Caller, @Param() params: ConversationIdParam, @Query() query: PageQuery): Promise<MessagePage> {
    return this.rpc.send(MessagingRpc.listMessages, { ...query, userId: caller.id, conversationId: params.id });
  }

  @Post('conversations/:id/messages')
  @ApiCreatedResponse({ type: Message })
  @ApiErrors([403, 'not a participant'], [409, 'too many messages at once in this conversation; try again'])
  reply(@CurrentCaller() caller: Caller, @Param() params: ConversationIdParam, @Body() body: MessageText): Promise<Message> {
    return this.rpc.send(MessagingRpc.sendToConversation, { ...body, senderId: caller.id, conversationId: params.id });
  }

  @Post('conversations/:id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: MarkedRead })
  @ApiErrors([403, 'not a participant'])
  markRead(@CurrentCaller() caller: Caller, @Param() params: ConversationIdParam): Promise<MarkedRead> {
    return this.rpc.send(MessagingRpc.markConversationRead, { userId: caller.id, conversationId: params.id });
  }
}
