import { Inject, Injectable } from '@nestjs/common';
import type { ProductSearchPage, ProductSuggestions, SearchProductsRequest, SuggestProductsRequest } from '@polystore/contracts';
import { RpcError } from '@polystore/platform';
import { toProduct } from '../domain/product.js';
import { DEFAULT_PAGE_SIZE, InvalidCursor, encodeCursor, searchBody, suggestBody } from '../domain/search.js';
import { ProductsStore } from '../store/products.store.js';

@Injectable()
export class SearchService {
  constructor(@Inject(ProductsStore) private readonly store: ProductsStore) {}

  async search(request: SearchProductsRequest): Promise<ProductSearchPage> {
    if (request.minPrice !== undefined && request.maxPrice !== undefined && request.minPrice > request.maxPrice) {
      throw RpcError.validation('minPrice must not be above maxPrice', [{ field: 'minPrice', problems: ['above maxPrice'] }]);
    }
    let body: Record<string, unknown>;
    try {
      body = searchBody(request);
    } catch (error) {
      if (error instanceof InvalidCursor) throw RpcError.validation(error.message, [{ field: 'cursor', problems: [error.message] }]);
      throw error;
    }
    const result = await this.store.query(body);
    const size = request.limit ?? DEFAULT_PAGE_SIZE;
    const last = result.hits[result.hits.length - 1];
    const buckets = (name: string) => result.aggregations[name]?.buckets ?? [];
    return {
      items: result.hits.map((h) => toProduct(h.record)),
      total: result.total,
      totalRelation: result.totalRelation,
      ...(request.cursor
        ? {}
        : {
            facets: {
              brands: buckets('brands').map((b) => ({ value: String(b.key), count: b.doc_count })),
              categories: buckets('categories').map((b) => ({ value: String(b.key), count: b.doc_count })),
              prices: buckets('prices').map((b) => ({
                key: String(b.key),
                ...(b.from !== undefined ? { from: b.from } : {}),
                ...(b.to !== undefined ? { to: b.to } : {}),
                count: b.doc_count,
              })),
            },
          }),
      ...(result.hits.length === size && last ? { nextCursor: encodeCursor(request, last.sort) } : {}),
    };
  }

  async suggest(request: SuggestProductsRequest): Promise<ProductSuggestions> {
    return { names: await this.store.suggest(suggestBody(request.q, request.limit ?? 8)) };
  }
}
