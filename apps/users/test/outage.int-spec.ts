import { randomUUID } from 'node:crypto';
import { UsersRpc, checkoutWalletKeys, eventStreamName } from '@polystore/contracts';
import { ensureEventStream } from '@polystore/platform';
import { readEvents } from '../../../test/support/jetstream.js';
import { cancellationRequested, publishEvent } from '../../../test/support/order-events.js';
import { TestStore, measureOutage, printFigures, startOwner, type OutageFigure, type OutageSpec } from '../../../test/support/store-outage.js';
import type { ServiceUnderTest } from '../../../test/support/service.js';
import { uniqueEmail, usersModule } from './support.js';

const spec: OutageSpec = {
  service: 'users',
  module: usersModule(),
  request: (rpc) => rpc.send(UsersRpc.getWallet, { userId: randomUUID() }), // NOT_FOUND when the database answers
  // An order cancelled while PostgreSQL is away: the refund is held, not dead-lettered, and made once it is back.
  work: async (users) => {
    const profile = await users.rpc.send(UsersRpc.register, { email: uniqueEmail('outage-refund'), name: 'Otto Refund', password: 'password-1' });
    const checkoutId = randomUUID();
    await users.rpc.send(UsersRpc.creditWallet, { userId: profile.id, amountCents: 900, idempotencyKey: `topup:${checkoutId}` });
    await users.rpc.send(UsersRpc.debitWallet, { userId: profile.id, amountCents: 900, idempotencyKey: checkoutWalletKeys.debit(checkoutId) });
    await ensureEventStream(users.link.connection, 'orders');
    const requested = cancellationRequested({ userId: profile.id, checkoutId, totalCents: 900, lines: [{ productId: randomUUID(), quantity: 1 }] });
    return {
      during: () => publishEvent(users.link.connection, requested),
      verify: async () => {
        const answered = await readEvents(
          users.link.connection,
          eventStreamName('users'),
          'events.users.>',
          (e) => (e.data as { orderId?: string }).orderId === requested.data.orderId,
          1,
          20_000,
        );
        expect(answered.map((e) => [e.type, (e.data as { reasonCode?: string }).reasonCode])).toEqual([['OrderPaymentRefunded', undefined]]);
        expect((await users.rpc.send(UsersRpc.getWallet, { userId: profile.id })).balanceCents).toBe(900);
      },
    };
  },
  // A registration after the outage: its UserRegistered leaves through the outbox without a restart.
  afterRecovery: async (users) => {
    const profile = await users.rpc.send(UsersRpc.register, { email: uniqueEmail('outage'), name: 'Ada Outage', password: 'correct horse battery' });
    const found = await readEvents(
      users.link.connection,
      eventStreamName('users'),
      'events.users.>',
      (e) => (e.data as { userId?: string }).userId === profile.id,
      1,
    );
    expect(found).toHaveLength(1);
  },
};

/** users' PostgreSQL (postmaster and every backend) frozen (SIGSTOP) and killed (SIGKILL, then started again). */
describe('users: PostgreSQL frozen or killed (integration)', () => {
  const store = new TestStore('users');
  const figures: OutageFigure[] = [];
  let users: ServiceUnderTest;
  beforeAll(async () => {
    users = await startOwner(spec);
  });
  afterAll(async () => {
    await store.restore();
    await users?.close();
    printFigures(figures);
  });

  it('frozen: answers UNAVAILABLE within 1 s, readiness goes false, and everything comes back when PostgreSQL thaws', async () => {
    figures.push(await measureOutage(spec, users, store, 'frozen'));
  }, 90_000);

  it('killed: answers UNAVAILABLE within 1 s, readiness goes false, and everything comes back when PostgreSQL is started again', async () => {
    figures.push(await measureOutage(spec, users, store, 'killed'));
  }, 90_000);
});
