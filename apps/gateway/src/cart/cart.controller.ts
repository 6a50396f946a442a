import { Body, Controller, Delete, Get, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Cart, CartQuantity, CartRpc } from '@polystore/contracts';
import { RpcClient } from '@polystore/platform';
import { IsUUID } from 'class-validator';
import { CurrentCaller, type Caller } from '../auth/jwt-auth.guard.js';
import { ApiErrors } from '../http/openapi.js';

class AddCartLineBody extends CartQuantity {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'productId must be a UUID' })
  productId!: string;
}

class ProductIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'productId must be a UUID' })
  productId!: string;
}

/** The caller's own cart: the user id always comes from the token, never from the request. */
@ApiTags('cart')
@Controller('cart')
export class CartController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get()
  @ApiOkResponse({ type: Cart })
  get(@CurrentCaller() caller: Caller): Promise<Cart> {
    return this.rpc.send(CartRpc.get, { userId: caller.id });
  }

  @Post('lines')
  @ApiCreatedResponse({ type: Cart, description: 'The cart with the line added (or its quantity increased)' })
  @ApiErrors([404, 'no such product'], [422, 'over 99 units in a line or 100 lines'])
  add(@CurrentCaller() caller: Caller, @Body() body: AddCartLineBody): Promise<Cart> {
    return this.rpc.send(CartRpc.addLine, { userId: caller.id, productId: body.productId, quantity: body.quantity });
  }

  @Patch('lines/:productId')
  @ApiOkResponse({ type: Cart })
  @ApiErrors([404, 'no such line in the cart'], [422, 'over 99 units in a line'])
  change(@CurrentCaller() caller: Caller, @Param() params: ProductIdParam, @Body() body: CartQuantity): Promise<Cart> {
    return this.rpc.send(CartRpc.changeLine, { userId: caller.id, productId: params.productId, quantity: body.quantity });
  }

  @Delete('lines/:productId')
  @ApiOkResponse({ type: Cart })
  remove(@CurrentCaller() caller: Caller, @Param() params: ProductIdParam): Promise<Cart> {
    return this.rpc.send(CartRpc.removeLine, { userId: caller.id, productId: params.productId });
  }

  @Delete()
  @ApiOkResponse({ type: Cart })
  clear(@CurrentCaller() caller: Caller): Promise<Cart> {
    return this.rpc.send(CartRpc.clear, { userId: caller.id });
  }
}
