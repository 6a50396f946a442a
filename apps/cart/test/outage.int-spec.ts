import { randomUUID } from 'node:crypto';
import { CartRpc } from '@polystore/contracts';
import type { NatsSettings } from '@polystore/platform';
import { TestStore, measureOutage, printFigures, startOwner, type OutageFigure, type OutageSpec } from '../../../test/support/store-outage.js';
import type { ServiceUnderTest } from '../../../test/support/service.js';
import { CartModule } from '../src/cart.module.js';
import { loadCartConfig } from '../src/config.js';

const spec: OutageSpec = {
  service: 'cart',
  module: (nats: NatsSettings) => CartModule.forRoot(loadCartConfig(), { nats }),
  request: (rpc) => rpc.send(CartRpc.get, { userId: randomUUID() }),
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
