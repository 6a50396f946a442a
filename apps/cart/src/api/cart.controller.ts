import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CartLineRequest, CartProductRequest, CartRpc, UserIdRequest, type Cart } from '@polystore/contracts';
import { RpcHandler } from '@polystore/platform';
import { CartService } from './cart.service.js';

/** Cart RPCs; the user id comes from the caller (the gateway takes it from the token). */
@Controller()
export class CartController {
  constructor(@Inject(CartService) private readonly cart: CartService) {}

  @RpcHandler(CartRpc.get)
  get(@Payload() request: UserIdRequest): Promise<Cart> {
    return this.cart.get(request.userId);
  }

  @RpcHandler(CartRpc.addLine)
  add(@Payload() request: CartLineRequest): Promise<Cart> {
    return this.cart.add(request.userId, request.productId, request.quantity);
  }

  @RpcHandler(CartRpc.changeLine)
  change(@Payload() request: CartLineRequest): Promise<Cart> {
    return this.cart.change(request.userId, request.productId, request.quantity);
  }

  @RpcHandler(CartRpc.removeLine)
  remove(@Payload() request: CartProductRequest): Promise<Cart> {
    return this.cart.remove(request.userId, request.productId);
  }

  @RpcHandler(CartRpc.clear)
  clear(@Payload() request: UserIdRequest): Promise<Cart> {
    return this.cart.clear(request.userId);
  }
}
