import { rpcSubject } from '../rpc.js';
import type { UserIdRequest } from '../users/requests.js';
import type { Checkout, CheckoutIdRequest, CheckoutRequest } from './checkout.js';
import type { Cart, CartLineRequest, CartProductRequest } from './requests.js';

/** cart's request/reply subjects, with their request and reply types. */
export const CartRpc = {
  get: rpcSubject<UserIdRequest, Cart>('cart.get.v1'),
  addLine: rpcSubject<CartLineRequest, Cart>('cart.add-line.v1'),
  changeLine: rpcSubject<CartLineRequest, Cart>('cart.change-line.v1'),
  removeLine: rpcSubject<CartProductRequest, Cart>('cart.remove-line.v1'),
  clear: rpcSubject<UserIdRequest, Cart>('cart.clear.v1'),
  checkout: rpcSubject<CheckoutRequest, Checkout>('cart.checkout.v1'),
  getCheckout: rpcSubject<CheckoutIdRequest, Checkout>('cart.get-checkout.v1'),
} as const;
