import { ErrorCode } from '@polystore/contracts';
import { DomainError } from '@polystore/platform';

// products' refusals, thrown where the rule is checked (domain/, store/); callers get their codes.

/** SKUs are unique, in any letter case (a product's id derives from its SKU). */
export class SkuTaken extends DomainError {
  constructor(sku: string) {
    super(ErrorCode.Conflict, `sku ${sku} is already taken`, { field: 'sku' });
  }
}

export class ProductNotFound extends DomainError {
  constructor(id: string) {
    super(ErrorCode.NotFound, 'product not found', { id });
  }
}

/** Concurrent writers kept winning the optimistic-concurrency race on the product; retrying later may succeed. */
export class ProductKeptChanging extends DomainError {
  constructor(id: string) {
    super(ErrorCode.Conflict, `product ${id} kept changing; try again`, { id });
  }
}
