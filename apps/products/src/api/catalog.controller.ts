import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CreateProductRequest,
  ProductIdRequest,
  ProductsRpc,
  SearchProductsRequest,
  SuggestProductsRequest,
  UpdateProductRequest,
  type Product,
  type ProductSearchPage,
  type ProductSuggestions,
} from '@polystore/contracts';
import { RpcHandler } from '@polystore/platform';
import { CatalogService } from './catalog.service.js';
import { SearchService } from './search.service.js';

/** Catalog RPCs. Who may write is the gateway's decision (admin role); products trusts its NATS callers. */
@Controller()
export class CatalogController {
  constructor(
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(SearchService) private readonly searching: SearchService,
  ) {}

  @RpcHandler(ProductsRpc.search)
  search(@Payload() request: SearchProductsRequest): Promise<ProductSearchPage> {
    return this.searching.search(request);
  }

  @RpcHandler(ProductsRpc.suggest)
  suggest(@Payload() request: SuggestProductsRequest): Promise<ProductSuggestions> {
    return this.searching.suggest(request);
  }

  @RpcHandler(ProductsRpc.create)
  create(@Payload() request: CreateProductRequest): Promise<Product> {
    return this.catalog.create(request);
  }

  @RpcHandler(ProductsRpc.get)
  get(@Payload() request: ProductIdRequest): Promise<Product> {
    return this.catalog.get(request.id);
  }

  @RpcHandler(ProductsRpc.update)
  update(@Payload() request: UpdateProductRequest): Promise<Product> {
    return this.catalog.update(request);
  }

  @RpcHandler(ProductsRpc.delete)
  async delete(@Payload() request: ProductIdRequest): Promise<{ deleted: true }> {
    await this.catalog.delete(request.id);
    return { deleted: true };
  }
}
