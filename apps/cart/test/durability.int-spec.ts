import { randomUUID } from 'node:crypto';
import { CartEvents, type CartItemAddedV1 } from '@polystore/contracts';
import { newEvent, type NatsSettings } from '@polystore/platform';
import { TestStore, isReady, waitUntil } from '../../../test/support/store-outage.js';
import { startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';
import { CartModule } from '../src/cart.module.js';
import { loadCartConfig } from '../src/config.js';
import { CartRedis } from '../src/store/cart-redis.js';
import { CartsStore } from '../src/store/carts.store.js';
import { reservingCheckout } from './checkout-record.js';
import { CheckoutsStore } from '../src/store/checkouts.store.js';

/**
 * What cart wrote to its Redis comes back when Redis is killed (-9) and started again: its writes are
 * Lua scripts of several commands (a cart line with its outbox event, a checkout's creation and each
 * saga step), which Redis logs in its AOF as MULTI/EXEC. The chaos suite found them dropped at restart
 * (checkouts gone, carts emptied): Redis 7.0 replays the AOF as the default user, which the ACL allowed
 * nothing, so every EXEC was refused.
 */
describe('cart: its writes survive Redis killed and started again (integration)', () => {
  const store = new TestStore('cart');
  let cart: ServiceUnderTest;
  beforeAll(async () => {
    cart = await startServiceForTest({
      service: 'cart',
      module: (nats: NatsSettings) => CartModule.forRoot(loadCartConfig(), { nats }),
      rpcTimeoutMs: 3_000,
    });
  });
  afterAll(async () => {
    await store.restore();
    await cart?.close();
  });

  it('a cart line and a checkout with a saga step written before the kill are there after the restart', async () => {
    const carts = cart.app.get(CartsStore);
    const checkouts = cart.app.get(CheckoutsStore);
    const userId = randomUUID();
    const productId = randomUUID();
    const added = newEvent<CartItemAddedV1>('cart', CartEvents.CartItemAdded, {
      userId,
      productId,
      quantity: 2,
      lineQuantity: 0,
      unitPriceCents: 700,
      currency: 'EUR',
    });
    expect(await carts.addLine(userId, productId, 2, added)).toMatchObject({ ok: true });
    const record = reservingCheckout('durability', { userId, productId, quantity: 2, unitPriceCents: 700 });
    const at = new Date().toISOString();
    expect(await checkouts.create(record, 'durability-test')).toEqual({ holder: record.checkoutId });
    const stepped = await checkouts.save({
      ...record,
      status: 'debiting',
      steps: [{ ...record.steps[0]!, status: 'done', finishedAt: at }],
    });
    expect(stepped?.revision).toBe(2);

    // Every write in the AOF file (not only in Redis' buffer, which a kill loses under `appendfsync everysec`).
    const redis = cart.app.get(CartRedis).redis;
    await waitUntil(async () => /aof_buffer_length:0\r?\n/.test(await redis.info('persistence')), 10_000);
    await store.kill();
    await store.restart();
    await waitUntil(() => isReady(cart), 30_000);

    expect((await carts.read(userId)).lines).toEqual({ [productId]: 2 });
    expect(await checkouts.get(record.checkoutId)).toMatchObject({ status: 'debiting', revision: 2 });
    expect(await checkouts.idByIdempotencyKey(userId, record.idempotencyKey)).toBe(record.checkoutId);
  }, 90_000);
});
