import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type CreateProductRequest, type Product, type UpdateProductRequest } from '@polystore/contracts';
import { RpcError } from '@polystore/platform';
import { v5 as uuidv5 } from 'uuid';
import { applyChanges, newProduct, stockConflict, toProduct } from '../domain/product.js';
import { productChanged, productCreated, productDeleted } from '../events/products-events.js';
import { ProductsStore } from '../store/products.store.js';

/** Product ids derive from the SKU, so "SKU is unique" is "the id is unique": one atomic create. */
const SKU_NAMESPACE = '6f1c2d3e-4b5a-5c6d-8e7f-0a1b2c3d4e5f';
export const productIdForSku = (sku: string) => uuidv5(sku.toUpperCase(), SKU_NAMESPACE);

@Injectable()
export class CatalogService {
  constructor(@Inject(ProductsStore) private readonly store: ProductsStore) {}

  async create(request: CreateProductRequest): Promise<Product> {
    const { sku, ...fields } = request;
    const record = newProduct(productIdForSku(sku), sku, fields, new Date().toISOString());
    await this.store.create(record, [productCreated(record)]);
    return toProduct(record);
  }

  async get(id: string): Promise<Product> {
    const found = await this.store.get(id);
    if (!found) throw RpcError.notFound('product', { id });
    return toProduct(found.record);
  }

  async update(request: UpdateProductRequest): Promise<Product> {
    const { id, ...changes } = request;
    if (Object.keys(changes).length === 0) throw RpcError.validation('nothing to change', [{ field: 'body', problems: ['give at least one field'] }]);
    const updated = await this.store.modify(id, (current) => {
      const outcome = applyChanges(current, changes, new Date().toISOString());
      if (outcome.changed.length === 0) return null;
      const problem = stockConflict(outcome.next);
      if (problem) throw new RpcError(ErrorCode.Unprocessable, problem, { field: 'stockOnHand' });
      return { next: outcome.next, events: productChanged(current, outcome.next, outcome.changed) };
    });
    return toProduct(updated);
  }

  /** Deleted at once for readers; the document goes once its ProductDeleted event is out. */
  async delete(id: string): Promise<void> {
    await this.store.modify(id, (current) => {
      const next = { ...current, deleted: true, version: current.version + 1, updatedAt: new Date().toISOString() };
      return { next, events: [productDeleted(next)] };
    });
  }
}
