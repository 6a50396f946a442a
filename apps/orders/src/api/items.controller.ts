import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CreateOrdersItemRequest, OrdersItemIdRequest, OrdersRpc, type OrdersItem } from '@polystore/contracts';
import { RpcHandler } from '@polystore/platform';
import { ItemsService } from './items.service.js';

/** orders's request/reply handlers: its only entry points. */
@Controller()
export class ItemsController {
  constructor(@Inject(ItemsService) private readonly items: ItemsService) {}

  @RpcHandler(OrdersRpc.createItem)
  create(@Payload() request: CreateOrdersItemRequest): Promise<OrdersItem> {
    return this.items.create(request.label);
  }

  @RpcHandler(OrdersRpc.getItem)
  get(@Payload() request: OrdersItemIdRequest): Promise<OrdersItem> {
    return this.items.get(request.id);
  }
}
