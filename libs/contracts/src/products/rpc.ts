import { rpcSubject } from '../rpc.js';
import type { Product } from './replies.js';
import type { CreateProductRequest, ProductIdRequest, UpdateProductRequest } from './requests.js';
import type { ProductSearchPage, ProductSuggestions, SearchProductsRequest, SuggestProductsRequest } from './search.js';
import type { Reservation, ReservationIdRequest, ReserveStockRequest } from './stock.js';

/** products' request/reply subjects, with their request and reply types. */
export const ProductsRpc = {
  create: rpcSubject<CreateProductRequest, Product>('products.create.v1'),
  update: rpcSubject<UpdateProductRequest, Product>('products.update.v1'),
  delete: rpcSubject<ProductIdRequest, { deleted: true }>('products.delete.v1'),
  get: rpcSubject<ProductIdRequest, Product>('products.get.v1'),
  search: rpcSubject<SearchProductsRequest, ProductSearchPage>('products.search.v1'),
  suggest: rpcSubject<SuggestProductsRequest, ProductSuggestions>('products.suggest.v1'),
  reserveStock: rpcSubject<ReserveStockRequest, Reservation>('products.reserve-stock.v1'),
  releaseStock: rpcSubject<ReservationIdRequest, Reservation>('products.release-stock.v1'),
  commitStock: rpcSubject<ReservationIdRequest, Reservation>('products.commit-stock.v1'),
  getReservation: rpcSubject<ReservationIdRequest, Reservation>('products.get-reservation.v1'),
} as const;
