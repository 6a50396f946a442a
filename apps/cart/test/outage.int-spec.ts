import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import {
  CartEvents,
  CartRpc,
  ProductsEvents,
  eventStreamName,
  eventSubject,
  type CartItemAddedV1,
  type ProductPriceChangedV1,
} from '@polystore/contracts';
import { ensureEventStream, newEvent, type NatsSettings } from '@polystore/platform';
import { eventually } from '../../../test/support/eventually.js';
import { readEvents } from '../../../test/support/jetstream.js';
import { TestStore, measureOutage, printFigures, startOwner, type OutageFigure, type OutageSpec } from '../../../test/support/store-outage.js';
import type { ServiceUnderTest } from '../../../test/support/service.js';
import { CartModule } from '../src/cart.module.js';
import { loadCartConfig } from '../src/config.js';
import { CartsStore } from '../src/store/carts.store.js';

const spec: OutageSpec = {
  service: 'cart',
  module: (nats: NatsSettings) => CartModule.forRoot(loadCartConfig(), { nats }),
  request: (rpc) => rpc.send(CartRpc.get, { userId: randomUUID() }),
  // A price change published while Redis is away reaches the snapshot once it is back: held, not dead-lettered.
  work: async (cart) => {
    const carts = cart.app.get(CartsStore);
    const productId = randomUUID();
    await carts.putSnapshot({ productId, name: 'Outage test', priceCents: 100, currency: 'EUR', version: 1, deleted: false });
    const changed = newEvent<ProductPriceChangedV1>('products', ProductsEvents.ProductPriceChanged, {
      productId,
      sku: 'OUTAGE-1',
      name: 'Outage test',
      oldPriceCents: 100,
      newPriceCents: 250,
      oldCurrency: 'EUR',
      currency: 'EUR',
      version: 2,
    });
    await ensureEventStream(cart.link.connection, 'products');
    return {
      during: async () => {
        await jetstream(cart.link.connection).publish(eventSubject('products', changed.type, changed.version), JSON.stringify(changed), {
          msgID: changed.id,
        });
      },
      verify: async () => {
        await eventually(
          () => carts.snapshots([productId]),
          (s) => s.get(productId)?.priceCents === 250,
          { timeoutMs: 15_000 },
        );
      },
    };
  },
  // A cart write after the outage: its event leaves through the outbox without a restart.
  afterRecovery: async (cart) => {
    const userId = randomUUID();
    const added = newEvent<CartItemAddedV1>('cart', CartEvents.CartItemAdded, {
      userId,
      productId: randomUUID(),
      quantity: 1,
      lineQuantity: 0,
      unitPriceCents: 100,
      currency: 'EUR',
    });
    expect(await cart.app.get(CartsStore).addLine(userId, added.data.productId, 1, added)).toMatchObject({ ok: true });
    const found = await readEvents(cart.link.connection, eventStreamName('cart'), 'events.cart.>', (e) => e.id === added.id, 1);
    expect(found).toHaveLength(1);
  },
};

/** cart's Redis frozen (SIGSTOP) and killed (SIGKILL, then started again): cart fails fast and recovers alone. */
describe('cart: Redis frozen or killed (integration)', () => {
  const store = new TestStore('cart');
  const figures: OutageFigure[] = [];
  let cart: ServiceUnderTest;
  beforeAll(async () => {
    cart = await startOwner(spec);
  });
  afterAll(async () => {
    await store.restore();
    await cart?.close();
    printFigures(figures);
  });

  it('frozen: answers UNAVAILABLE within 1 s, readiness goes false, and everything comes back when Redis thaws', async () => {
    figures.push(await measureOutage(spec, cart, store, 'frozen'));
  }, 60_000);

  it('killed: answers UNAVAILABLE within 1 s, readiness goes false, and everything comes back when Redis is started again', async () => {
    figures.push(await measureOutage(spec, cart, store, 'killed'));
  }, 60_000);
});
