import { randomUUID } from 'node:crypto';
import { MessagingRpc, OrdersEvents, UsersEvents, type OrderCancelledV1, type UserRegisteredV1 } from '@polystore/contracts';
import { newEvent } from '@polystore/platform';
import { TestStore, measureOutage, printFigures, startOwner, type OutageFigure, type OutageSpec } from '../../../test/support/store-outage.js';
import type { ServiceUnderTest } from '../../../test/support/service.js';
import { loadMessagingConfig } from '../src/config.js';
import { MessagingModule } from '../src/messaging.module.js';
import { NotificationsStore } from '../src/store/notifications.store.js';
import { eventually, publishEvent } from './support.js';

const spec: OutageSpec = {
  service: 'messaging',
  module: (nats) => MessagingModule.forRoot(loadMessagingConfig(), { nats }),
  request: (rpc) => rpc.send(MessagingRpc.listNotifications, { userId: randomUUID() }),
  // A UserRegistered and an OrderCancelled published while FerretDB is away become their notifications once it is back: held, not dead-lettered.
  work: async (messaging) => {
    const userId = randomUUID();
    const registered = newEvent<UserRegisteredV1>('users', UsersEvents.UserRegistered, {
      userId,
      email: `${userId}@example.com`,
      name: 'Ada Outage',
      role: 'customer',
    });
    const cancelled = newEvent<OrderCancelledV1>('orders', OrdersEvents.OrderCancelled, {
      orderId: randomUUID(),
      userId,
      totalCents: 1_250,
      currency: 'EUR',
      cancelledAt: new Date().toISOString(),
    });
    return {
      during: async () => {
        await publishEvent(messaging.link.connection, registered);
        await publishEvent(messaging.link.connection, cancelled);
      },
      verify: async () => {
        const notifications = messaging.app.get(NotificationsStore);
        const page = await eventually(
          () => notifications.list(userId, { unreadOnly: false, before: null, limit: 10 }),
          (found) => found.items.length === 2,
          { timeoutMs: 20_000 },
        );
        expect(page.items.map((n) => n.kind).sort()).toEqual(['order-cancelled', 'welcome']);
      },
    };
  },
};

/** messaging's FerretDB (the MongoDB wire server; its PostgreSQL backend stays up) frozen (SIGSTOP) and killed (SIGKILL, then started again). */
describe('messaging: FerretDB frozen or killed (integration)', () => {
  const store = new TestStore('messaging');
  const figures: OutageFigure[] = [];
  let messaging: ServiceUnderTest;
  beforeAll(async () => {
    messaging = await startOwner(spec);
  });
  afterAll(async () => {
    await store.restore();
    await messaging?.close();
    printFigures(figures);
  });

  it('frozen: answers UNAVAILABLE within 1 s, readiness goes false, and everything comes back when FerretDB thaws', async () => {
    figures.push(await measureOutage(spec, messaging, store, 'frozen'));
  }, 90_000);

  it('killed: answers UNAVAILABLE within 1 s, readiness goes false, and everything comes back when FerretDB is started again', async () => {
    figures.push(await measureOutage(spec, messaging, store, 'killed'));
  }, 90_000);
});
