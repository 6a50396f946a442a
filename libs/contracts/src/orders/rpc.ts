import { rpcSubject } from '../rpc.js';
import type { AdminOrderList, OrderDetail, OrderPage } from './replies.js';
import type { AdminListOrdersRequest, ListMyOrdersRequest, UserOrderRequest } from './requests.js';

/** orders' request/reply subjects, with their request and reply types. */
export const OrdersRpc = {
  /** A user's orders, newest first, from the order-list projection. */
  listMine: rpcSubject<ListMyOrdersRequest, OrderPage>('orders.list-mine.v1'),
  /** One of the user's orders with its lines and timeline; NOT_FOUND for anyone else's. */
  get: rpcSubject<UserOrderRequest, OrderDetail>('orders.get.v1'),
  /** Asks to cancel: CONFLICT when already asked, UNPROCESSABLE after the window. */
  cancel: rpcSubject<UserOrderRequest, OrderDetail>('orders.cancel.v1'),
  /** Every customer's orders (admin), with names from orders' read model unless withCustomers is false. */
  adminList: rpcSubject<AdminListOrdersRequest, AdminOrderList>('orders.admin-list.v1'),
} as const;
