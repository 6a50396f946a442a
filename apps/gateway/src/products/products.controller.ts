import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  CreateProductRequest,
  Product,
  ProductChanges,
  ProductSearchPage,
  ProductSuggestions,
  ProductsRpc,
  SearchProductsRequest,
  SuggestProductsRequest,
} from '@polystore/contracts';
import { RpcClient } from '@polystore/platform';
import { IsUUID } from 'class-validator';
import { OptionalCaller, Public, Roles, type Caller } from '../auth/jwt-auth.guard.js';
import { ProductViewsPublisher } from '../events/product-views.publisher.js';
import { ApiErrors } from '../http/openapi.js';

class ProductIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'id must be a UUID' })
  id!: string;
}

/** The catalog: reads are public, writes need the admin role (from the token). */
@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(ProductViewsPublisher) private readonly views: ProductViewsPublisher,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: ProductSearchPage })
  search(@Query() query: SearchProductsRequest): Promise<ProductSearchPage> {
    return this.rpc.send(ProductsRpc.search, query);
  }

  @Public()
  @Get('suggest')
  @ApiOkResponse({ type: ProductSuggestions })
  suggest(@Query() query: SuggestProductsRequest): Promise<ProductSuggestions> {
    return this.rpc.send(ProductsRpc.suggest, query);
  }

  @Public()
  @Get(':id')
  @ApiOkResponse({ type: Product })
  @ApiErrors(404)
  async get(@Param() params: ProductIdParam, @OptionalCaller() caller: Caller | null): Promise<Product> {
    const product = await this.rpc.send(ProductsRpc.get, { id: params.id });
    // The product page was served: the top of analytics' funnel (never delays the answer).
    this.views.viewed(product.id, caller?.id ?? null);
    return product;
  }

  @Roles('admin')
  @Post()
  @ApiCreatedResponse({ type: Product })
  @ApiErrors([409, 'SKU taken'])
  create(@Body() body: CreateProductRequest): Promise<Product> {
    return this.rpc.send(ProductsRpc.create, body);
  }

  @Roles('admin')
  @Patch(':id')
  @ApiOkResponse({ type: Product })
  @ApiErrors(404, [409, 'the product kept changing; try again'], [422, 'stock on hand below what is reserved'])
  update(@Param() params: ProductIdParam, @Body() body: ProductChanges): Promise<Product> {
    return this.rpc.send(ProductsRpc.update, { ...body, id: params.id });
  }

  @Roles('admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404, [409, 'the product kept changing; try again'])
  async delete(@Param() params: ProductIdParam): Promise<void> {
    await this.rpc.send(ProductsRpc.delete, { id: params.id });
  }
}
