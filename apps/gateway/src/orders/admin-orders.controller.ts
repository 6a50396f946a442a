import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOrdersQuery, AdminOrdersReply, ErrorCode, OrdersRpc, UsersRpc, type UserContact } from '@polystore/contracts';
import { RpcClient, RpcError } from '@polystore/platform';
import { Roles } from '../auth/jwt-auth.guard.js';

/** How long the composition waits for users' batch before answering without customers. */
export const USERS_BATCH_DEADLINE_MS = 1_000;

/**
 * The distributed JOIN of orders with customers, both ways (README, "The distributed JOIN"):
 * read-model, answered by orders alone from its copy of customer names; composition, the gateway
 * asks orders, then users for all the page's customers in one batch, and combines.
 */
@ApiTags('orders')
@Controller('admin/orders')
export class AdminOrdersController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Roles('admin')
  @Get()
  @ApiOkResponse({
    type: AdminOrdersReply,
    description:
      'Every customer’s orders, newest first, with name and email; with via=composition and users away, customers are null and degraded lists "users"',
  })
  async list(@Query() query: AdminOrdersQuery): Promise<AdminOrdersReply> {
    const { via = 'read-model', ...filter } = query;
    if (via === 'read-model') {
      const list = await this.rpc.send(OrdersRpc.adminList, { ...filter, withCustomers: true });
      return { ...list, via, degraded: [] };
    }
    const list = await this.rpc.send(OrdersRpc.adminList, { ...filter, withCustomers: false });
    const userIds = [...new Set(list.orders.map((o) => o.userId))];
    let customers: Map<string, UserContact>;
    try {
      const { users } = userIds.length ? await this.rpc.send(UsersRpc.getMany, { userIds }, USERS_BATCH_DEADLINE_MS) : { users: [] };
      customers = new Map(users.map((u) => [u.id, u]));
    } catch (error) {
      // users away or too slow: the orders still answer, without their customers, and say so.
      if (error instanceof RpcError && (error.code === ErrorCode.Unavailable || error.code === ErrorCode.Timeout)) {
        return { orders: list.orders.map((o) => ({ ...o, customer: null })), nextCursor: list.nextCursor, via, degraded: ['users'] };
      }
      throw error;
    }
    return {
      orders: list.orders.map((o) => {
        const c = customers.get(o.userId);
        return { ...o, customer: c ? { name: c.name, email: c.email } : null };
      }),
      nextCursor: list.nextCursor,
      via,
      degraded: [],
    };
  }
}
