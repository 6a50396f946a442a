import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CartRpc, CheckoutIdRequest, CheckoutRequest, ERROR_HTTP_STATUS, ErrorCode, type Checkout } from '@polystore/contracts';
import { RpcError, RpcHandler } from '@polystore/platform';
import { publicCheckout } from '../domain/checkout.js';
import { CheckoutService } from './checkout.service.js';

/** Checkout RPCs; the user id comes from the caller (the gateway takes it from the token). */
@Controller()
export class CheckoutController {
  constructor(@Inject(CheckoutService) private readonly checkouts: CheckoutService) {}

  /**
   * Answers the checkout when it completed or is still under way; a failed one is an error with
   * its reason's code (OUT_OF_STOCK, INSUFFICIENT_FUNDS, PRICE_CHANGED, ...) and the checkout in
   * `details.checkout` — the same answer every time the same key is sent again.
   */
  @RpcHandler(CartRpc.checkout)
  async checkout(@Payload() request: CheckoutRequest): Promise<Checkout> {
    const record = await this.checkouts.checkout(request);
    if (record.status === 'failed') {
      const code = record.failure && record.failure.code in ERROR_HTTP_STATUS ? (record.failure.code as ErrorCode) : ErrorCode.Unprocessable;
      throw new RpcError(code, record.failure?.message ?? 'checkout failed', { checkout: publicCheckout(record) });
    }
    return publicCheckout(record);
  }

  @RpcHandler(CartRpc.getCheckout)
  async get(@Payload() request: CheckoutIdRequest): Promise<Checkout> {
    return publicCheckout(await this.checkouts.get(request.userId, request.checkoutId));
  }
}
