import { rpcSubject } from '../rpc.js';
import type { OrdersItem } from './replies.js';
import type { CreateOrdersItemRequest, OrdersItemIdRequest } from './requests.js';

/** orders's request/reply subjects, with their request and reply types. */
export const OrdersRpc = {
  createItem: rpcSubject<CreateOrdersItemRequest, OrdersItem>('orders.create-item.v1'),
  getItem: rpcSubject<OrdersItemIdRequest, OrdersItem>('orders.get-item.v1'),
} as const;
