import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AdminListOrdersRequest,
  ListMyOrdersRequest,
  OrdersRpc,
  UserOrderRequest,
  type AdminOrderList,
  type OrderDetail,
  type OrderPage,
} from '@polystore/contracts';
import { RpcHandler } from '@polystore/platform';
import { OrdersService } from './orders.service.js';

/** orders' request/reply handlers: its only entry points besides the event consumers. */
@Controller()
export class OrdersController {
  constructor(@Inject(OrdersService) private readonly orders: OrdersService) {}

  @RpcHandler(OrdersRpc.listMine)
  listMine(@Payload() request: ListMyOrdersRequest): Promise<OrderPage> {
    return this.orders.listMine(request);
  }

  @RpcHandler(OrdersRpc.get)
  get(@Payload() request: UserOrderRequest): Promise<OrderDetail> {
    return this.orders.get(request.userId, request.orderId);
  }

  @RpcHandler(OrdersRpc.cancel)
  cancel(@Payload() request: UserOrderRequest): Promise<OrderDetail> {
    return this.orders.cancel(request.userId, request.orderId);
  }

  @RpcHandler(OrdersRpc.adminList)
  adminList(@Payload() request: AdminListOrdersRequest): Promise<AdminOrderList> {
    return this.orders.adminList(request);
  }
}
