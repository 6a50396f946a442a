import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  MarkedRead,
  MessagingRpc,
  Notification,
  NotificationPage,
  NotificationsQuery,
  PageQuery,
  UnreadCount,
  Watch,
  WatchPage,
} from '@polystore/contracts';
import { RpcClient } from '@polystore/platform';
import { IsUUID } from 'class-validator';
import { CurrentCaller, type Caller } from '../auth/jwt-auth.guard.js';
import { ApiErrors } from '../http/openapi.js';

class NotificationIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'id must be a UUID' })
  id!: string;
}

class ProductIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'productId must be a UUID' })
  productId!: string;
}

/** The caller's notifications and watched products: the user id always comes from the token. */
@ApiTags('notifications')
@Controller('me')
export class NotificationsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get('notifications')
  @ApiOkResponse({ type: NotificationPage, description: 'Newest first' })
  list(@CurrentCaller() caller: Caller, @Query() query: NotificationsQuery): Promise<NotificationPage> {
    return this.rpc.send(MessagingRpc.listNotifications, { ...query, userId: caller.id });
  }

  @Get('notifications/unread-count')
  @ApiOkResponse({ type: UnreadCount })
  unreadCount(@CurrentCaller() caller: Caller): Promise<UnreadCount> {
    return this.rpc.send(MessagingRpc.unreadNotifications, { userId: caller.id });
  }

  @Post('notifications/read')
  @HttpCode(200)
  @ApiOkResponse({ type: MarkedRead, description: 'Marks every notification read' })
  markAllRead(@CurrentCaller() caller: Caller): Promise<MarkedRead> {
    return this.rpc.send(MessagingRpc.markAllNotificationsRead, { userId: caller.id });
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: Notification })
  @ApiErrors([404, 'no such notification of the caller’s'])
  markRead(@CurrentCaller() caller: Caller, @Param() params: NotificationIdParam): Promise<Notification> {
    return this.rpc.send(MessagingRpc.markNotificationRead, { userId: caller.id, notificationId: params.id });
  }

  @Get('watches')
  @ApiOkResponse({ type: WatchPage, description: 'Products I watch for price drops, by product id' })
  watches(@CurrentCaller() caller: Caller, @Query() query: PageQuery): Promise<WatchPage> {
    return this.rpc.send(MessagingRpc.listWatches, { ...query, userId: caller.id });
  }

  @Put('watches/:productId')
  @ApiOkResponse({ type: Watch, description: 'Idempotent' })
  @ApiErrors([404, 'no such product'])
  watch(@CurrentCaller() caller: Caller, @Param() params: ProductIdParam): Promise<Watch> {
    return this.rpc.send(MessagingRpc.watchProduct, { userId: caller.id, productId: params.productId });
  }

  @Delete('watches/:productId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Idempotent' })
  async unwatch(@CurrentCaller() caller: Caller, @Param() params: ProductIdParam): Promise<void> {
    await this.rpc.send(MessagingRpc.unwatchProduct, { userId: caller.id, productId: params.productId });
  }
}
