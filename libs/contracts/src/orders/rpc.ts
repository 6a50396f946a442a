import { rpcSubject } from '../rpc.js';
import type { MyOrdersPage, OrdersItem } from './replies.js';
import type { CreateOrdersItemRequest, ListMyOrdersRequest, OrdersItemIdRequest } from './requests.js';

/** orders's request/reply subjects, with their request and reply types. */
export const OrdersRpc = {
  createItem: rpcSubject<CreateOrdersItemRequest, OrdersItem>('orders.create-item.v1'),
  getItem: rpcSubject<OrdersItemIdRequest, OrdersItem>('orders.get-item.v1'),
  /** A user's order history (served by orders' projection); the gateway's /me/overview shows its first page. */
  listMine: rpcSubject<ListMyOrdersRequest, MyOrdersPage>('orders.list-mine.v1'),
} as const;
