import { Body, Controller, Get, Headers, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CartRpc, Checkout, CheckoutBody } from '@polystore/contracts';
import { RpcClient } from '@polystore/platform';
import { IsUUID } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, type Caller } from '../auth/jwt-auth.guard.js';
import { ApiIdempotencyKey, requireIdempotencyKey } from '../http/idempotency-key.js';
import { ApiErrors } from '../http/openapi.js';

class CheckoutIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'id must be a UUID' })
  id!: string;
}

/** Checking out the caller's cart: a saga in cart across products (stock) and users (wallet). */
@ApiTags('cart')
@Controller()
export class CheckoutController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Post('cart/checkout')
  @ApiIdempotencyKey('The same key answers the same checkout and never charges twice')
  @ApiCreatedResponse({ type: Checkout, description: 'Completed: stock committed, wallet debited, cart emptied' })
  @ApiAcceptedResponse({ type: Checkout, description: 'Still under way (a service is slow or away); follow Location' })
  @ApiErrors(
    [409, 'PRICE_CHANGED, or another checkout of this cart is still running'],
    [422, 'OUT_OF_STOCK, INSUFFICIENT_FUNDS, an empty cart, ...; a failed checkout is in details.checkout'],
  )
  async checkout(
    @CurrentCaller() caller: Caller,
    @Body() body: CheckoutBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Checkout> {
    const key = requireIdempotencyKey(idempotencyKey);
    const checkout = await this.rpc.send(CartRpc.checkout, { ...body, userId: caller.id, idempotencyKey: key });
    void reply.status(checkout.status === 'completed' ? 201 : 202).header('location', `/checkouts/${checkout.checkoutId}`);
    return checkout;
  }

  @Get('checkouts/:id')
  @ApiOkResponse({ type: Checkout })
  @ApiErrors([404, 'no such checkout of the caller’s'])
  get(@CurrentCaller() caller: Caller, @Param() params: CheckoutIdParam): Promise<Checkout> {
    return this.rpc.send(CartRpc.getCheckout, { userId: caller.id, checkoutId: params.id });
  }
}
