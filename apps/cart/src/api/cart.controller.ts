import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CartLineRequest, CartProductRequest, CartSubjects, UserIdRequest, type Cart } from '@polystore/contracts';
import { CartService } from './cart.service.js';

/** Cart RPCs; the user id comes from the caller (the gateway takes it from the token). */
@Controller()
export class CartController {
  constructor(@Inject(CartService) private readonly cart: CartService) {}

  @MessagePattern(CartSubjects.get)
  get(@Payload() request: UserIdRequest): Promise<Cart> {
    return this.cart.get(request.userId);
  }

  @MessagePattern(CartSubjects.addLine)
  add(@Payload() request: CartLineRequest): Promise<Cart> {
    return this.cart.add(request.userId, request.productId, request.quantity);
  }

  @MessagePattern(CartSubjects.changeLine)
  change(@Payload() request: CartLineRequest): Promise<Cart> {
    return this.cart.change(request.userId, request.productId, request.quantity);
  }

  @MessagePattern(CartSubjects.removeLine)
  remove(@Payload() request: CartProductRequest): Promise<Cart> {
    return this.cart.remove(request.userId, request.productId);
  }

  @MessagePattern(CartSubjects.clear)
  clear(@Payload() request: UserIdRequest): Promise<Cart> {
    return this.cart.clear(request.userId);
  }
}
