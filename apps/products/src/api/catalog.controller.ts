import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateProductRequest,
  ProductIdRequest,
  ProductsSubjects,
  SearchProductsRequest,
  SuggestProductsRequest,
  UpdateProductRequest,
  type Product,
  type ProductSearchPage,
  type ProductSuggestions,
} from '@polystore/contracts';
import { CatalogService } from './catalog.service.js';
import { SearchService } from './search.service.js';

/** Catalog RPCs. Who may write is the gateway's decision (admin role); products trusts its NATS callers. */
@Controller()
export class CatalogController {
  constructor(
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(SearchService) private readonly searching: SearchService,
  ) {}

  @MessagePattern(ProductsSubjects.search)
  search(@Payload() request: SearchProductsRequest): Promise<ProductSearchPage> {
    return this.searching.search(request);
  }

  @MessagePattern(ProductsSubjects.suggest)
  suggest(@Payload() request: SuggestProductsRequest): Promise<ProductSuggestions> {
    return this.searching.suggest(request);
  }

  @MessagePattern(ProductsSubjects.create)
  create(@Payload() request: CreateProductRequest): Promise<Product> {
    return this.catalog.create(request);
  }

  @MessagePattern(ProductsSubjects.get)
  get(@Payload() request: ProductIdRequest): Promise<Product> {
    return this.catalog.get(request.id);
  }

  @MessagePattern(ProductsSubjects.update)
  update(@Payload() request: UpdateProductRequest): Promise<Product> {
    return this.catalog.update(request);
  }

  @MessagePattern(ProductsSubjects.delete)
  async delete(@Payload() request: ProductIdRequest): Promise<{ deleted: true }> {
    await this.catalog.delete(request.id);
    return { deleted: true };
  }
}
