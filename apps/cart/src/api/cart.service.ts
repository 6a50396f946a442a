import { Inject, Injectable } from '@nestjs/common';
import { CartEvents, ErrorCode, MAX_CART_LINES, MAX_LINE_QUANTITY, ProductsRpc, type Cart, type CartItemAddedV1 } from '@polystore/contracts';
import { RpcClient, RpcError, newEvent } from '@polystore/platform';
import { priceCart, quantityProblem } from '../domain/cart.js';
import { CartsStore } from '../store/carts.store.js';

/** A user's cart. Reads never call products: lines are priced from cart's own snapshots. */
@Injectable()
export class CartService {
  constructor(
    @Inject(CartsStore) private readonly carts: CartsStore,
    @Inject(RpcClient) private readonly rpc: RpcClient,
  ) {}

  async get(userId: string): Promise<Cart> {
    const { lines, snapshots } = await this.carts.read(userId);
    return priceCart(userId, lines, snapshots);
  }

  /** Adds to the line (or creates it), snapshotting the product as products has it now. */
  async add(userId: string, productId: string, quantity: number): Promise<Cart> {
    assertQuantity(quantity);
    const product = await this.rpc.send(ProductsRpc.get, { id: productId });
    await this.carts.putSnapshot({
      productId,
      name: product.name,
      priceCents: product.priceCents,
      currency: product.currency,
      version: product.version,
      deleted: false,
    });
    const added = newEvent<CartItemAddedV1>('cart', CartEvents.CartItemAdded, {
      userId,
      productId,
      quantity,
      lineQuantity: 0, // filled in by the store: the line's quantity after this add
      unitPriceCents: product.priceCents,
      currency: product.currency,
    });
    const outcome = await this.carts.addLine(userId, productId, quantity, added);
    if (!outcome.ok) {
      throw new RpcError(
        ErrorCode.Unprocessable,
        outcome.reason === 'quantity-limit' ? `a line holds at most ${MAX_LINE_QUANTITY} units` : `a cart holds at most ${MAX_CART_LINES} lines`,
        { field: outcome.reason === 'quantity-limit' ? 'quantity' : 'productId' },
      );
    }
    return this.get(userId);
  }

  async change(userId: string, productId: string, quantity: number): Promise<Cart> {
    assertQuantity(quantity);
    if (!(await this.carts.setLine(userId, productId, quantity))) throw RpcError.notFound('cart line', { productId });
    return this.get(userId);
  }

  async remove(userId: string, productId: string): Promise<Cart> {
    await this.carts.removeLine(userId, productId);
    return this.get(userId);
  }

  async clear(userId: string): Promise<Cart> {
    await this.carts.clear(userId);
    return this.get(userId);
  }
}

function assertQuantity(quantity: number): void {
  const problem = quantityProblem(quantity);
  if (problem) throw new RpcError(ErrorCode.Unprocessable, problem, { field: 'quantity' });
}
