import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CartEvents, CartRpc, ErrorCode, ProductsRpc, type Cart } from '@polystore/contracts';
import { newEvent } from '@polystore/platform';
import { startApps } from '../../../scripts/lib/apps.ts';
import { stack } from '../../../scripts/lib/stack.ts';
import { jwtKeyFiles } from '../../../test/support/credentials.js';
import { CartModule } from '../src/cart.module.js';
import { loadCartConfig } from '../src/config.js';
import { CartRedis } from '../src/store/cart-redis.js';
import { CartsStore } from '../src/store/carts.store.js';
import { failure } from '../../../test/support/rpc.js';
import { startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';

/** cart in-process, products as its own process (as in production), both on the test stack. */
describe('cart (integration)', () => {
  let products: { stop: () => Promise<void> };
  let cart: ServiceUnderTest;

  beforeAll(async () => {
    const s = stack('test');
    const keys = jwtKeyFiles();
    products = await startApps(s, keys, { apps: ['products'], logDir: join(s.dataDir, 'logs') });
    cart = await startServiceForTest({ service: 'cart', module: (nats) => CartModule.forRoot(loadCartConfig(), { nats }) });
  }, 60_000);
  afterAll(async () => {
    await cart?.close();
    await products?.stop();
  });

  const product = (priceCents = 1500, stockOnHand = 10) =>
    cart.rpc.send(ProductsRpc.create, {
      sku: `CART-${randomUUID().slice(0, 8)}`.toUpperCase(),
      name: 'Enamel mug',
      brand: 'Potter',
      categories: ['kitchen'],
      priceCents,
      currency: 'EUR',
      stockOnHand,
    });
  const add = (userId: string, productId: string, quantity: number) => cart.rpc.send(CartRpc.addLine, { userId, productId, quantity });
  const get = (userId: string) => cart.rpc.send(CartRpc.get, { userId });

  it('adds lines with a product snapshot, and prices the cart', async () => {
    const user = randomUUID();
    const mug = await product(1500);
    const pot = await product(4200);
    await add(user, mug.id, 2);
    const cartNow = await add(user, pot.id, 1);
    expect(cartNow.totalCents).toBe(2 * 1500 + 4200);
    expect(cartNow.currency).toBe('EUR');
    expect(cartNow.lines.find((l) => l.productId === mug.id)).toMatchObject({
      name: 'Enamel mug',
      quantity: 2,
      unitPriceCents: 1500,
      lineTotalCents: 3000,
      available: true,
    });
    expect((await add(user, mug.id, 3)).lines.find((l) => l.productId === mug.id)!.quantity).toBe(5);
  });

  it('changes, removes and clears; nobody else’s cart is touched', async () => {
    const user = randomUUID();
    const other = randomUUID();
    const mug = await product();
    await add(user, mug.id, 1);
    await add(other, mug.id, 4);
    expect((await cart.rpc.send(CartRpc.changeLine, { userId: user, productId: mug.id, quantity: 7 })).lines[0]!.quantity).toBe(7);
    expect((await failure(cart.rpc.send(CartRpc.changeLine, { userId: user, productId: randomUUID(), quantity: 1 }))).code).toBe(ErrorCode.NotFound);
    expect((await cart.rpc.send(CartRpc.removeLine, { userId: user, productId: mug.id })).lines).toEqual([]);
    await add(user, mug.id, 1);
    expect((await cart.rpc.send(CartRpc.clear, { userId: user })).lines).toEqual([]);
    expect((await get(other)).lines[0]!.quantity).toBe(4);
  });

  it('enforces 1..99 per line and at most 100 lines with 422, and an unknown product with 404', async () => {
    const user = randomUUID();
    const mug = await product();
    expect((await failure(add(user, mug.id, 0))).code).toBe(ErrorCode.Unprocessable);
    expect((await failure(add(user, mug.id, 100))).code).toBe(ErrorCode.Unprocessable);
    await add(user, mug.id, 60);
    const over = await failure(add(user, mug.id, 40));
    expect(over).toMatchObject({ code: ErrorCode.Unprocessable, details: { field: 'quantity' } });
    const store = cart.app.get(CartsStore);
    for (let i = 0; i < 99; i++) {
      const productId = randomUUID();
      await store.addLine(
        user,
        productId,
        1,
        newEvent('cart', CartEvents.CartItemAdded, { userId: user, productId, quantity: 1, lineQuantity: 0, unitPriceCents: 1, currency: 'EUR' }),
      );
    }
    const tooMany = await failure(add(user, (await product()).id, 1));
    expect(tooMany.message).toMatch(/at most 100 lines/);
    expect((await failure(add(randomUUID(), randomUUID(), 1))).code).toBe(ErrorCode.NotFound);
  });

  it('stays consistent under concurrent adds (atomic on the server)', async () => {
    const user = randomUUID();
    const mug = await product();
    await Promise.all(Array.from({ length: 20 }, () => add(user, mug.id, 1)));
    expect((await get(user)).lines[0]!.quantity).toBe(20);
  });

  it('follows price changes and deletions from products’ events, without asking products on reads', async () => {
    const user = randomUUID();
    const mug = await product(1500);
    await add(user, mug.id, 2);
    await cart.rpc.send(ProductsRpc.update, { id: mug.id, priceCents: 1200 });
    const until = async (check: (c: Cart) => boolean) => {
      const deadline = Date.now() + 10_000;
      let c = await get(user);
      while (!check(c) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        c = await get(user);
      }
      return c;
    };
    expect((await until((c) => c.lines[0]!.unitPriceCents === 1200)).totalCents).toBe(2400);
    await cart.rpc.send(ProductsRpc.delete, { id: mug.id });
    const afterDelete = await until((c) => !c.lines[0]!.available);
    expect(afterDelete.lines[0]).toMatchObject({ available: false, unitPriceCents: 1200 });
    expect(afterDelete.totalCents).toBe(0);
  });

  it('lets an untouched cart expire (30 days by default)', async () => {
    const user = randomUUID();
    await add(user, (await product()).id, 1);
    const ttl = await cart.app.get(CartRedis).redis.ttl(`carts:${user}`);
    expect(ttl).toBeGreaterThan(29 * 24 * 3600);
    expect(ttl).toBeLessThanOrEqual(30 * 24 * 3600);
  });
});
