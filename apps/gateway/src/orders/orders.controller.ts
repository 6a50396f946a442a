import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { MyOrdersQuery, OrderDetail, OrderPage, OrdersRpc } from '@polystore/contracts';
import { RpcClient } from '@polystore/platform';
import { IsUUID } from 'class-validator';
import { CurrentCaller, type Caller } from '../auth/jwt-auth.guard.js';
import { ApiErrors } from '../http/openapi.js';

class OrderIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'id must be a UUID' })
  id!: string;
}

/** The caller's orders (placed by orders from completed checkouts): the user id always comes from the token. */
@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get()
  @ApiOkResponse({ type: OrderPage, description: 'My orders, newest first' })
  list(@CurrentCaller() caller: Caller, @Query() query: MyOrdersQuery): Promise<OrderPage> {
    return this.rpc.send(OrdersRpc.listMine, { ...query, userId: caller.id });
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderDetail, description: 'Lines as bought, where a cancellation stands, and the status timeline' })
  @ApiErrors([404, 'no such order of the caller’s'])
  get(@CurrentCaller() caller: Caller, @Param() params: OrderIdParam): Promise<OrderDetail> {
    return this.rpc.send(OrdersRpc.get, { userId: caller.id, orderId: params.id });
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: OrderDetail,
    description: 'Cancellation requested: users refunds and products restocks on their own; follow GET /orders/{id}',
  })
  @ApiErrors(
    [404, 'no such order of the caller’s'],
    [409, 'a cancellation was already requested, or the order is cancelled'],
    [422, 'the cancellation window has closed'],
  )
  cancel(@CurrentCaller() caller: Caller, @Param() params: OrderIdParam): Promise<OrderDetail> {
    return this.rpc.send(OrdersRpc.cancel, { userId: caller.id, orderId: params.id });
  }
}
