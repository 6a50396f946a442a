import { UsersRpc, eventStreamName } from '@polystore/contracts';
import { readEvents } from '../../../test/support/jetstream.js';
import { TestStore, isReady, waitUntil } from '../../../test/support/store-outage.js';
import { startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';
import { uniqueEmail, usersModule } from './support.js';

/**
 * A wallet movement users has answered is done for good, even if PostgreSQL is killed (-9) right
 * after: the checkout saga moves on as soon as its debit is answered, so a debit lost afterwards is
 * a completed checkout whose money was never taken (the chaos suite found three when the test
 * cluster committed asynchronously).
 */
describe('users: answered wallet movements survive PostgreSQL killed under load (integration)', () => {
  const store = new TestStore('users');
  let users: ServiceUnderTest;
  beforeAll(async () => {
    users = await startServiceForTest({ service: 'users', module: usersModule(), rpcTimeoutMs: 3_000 });
  });
  afterAll(async () => {
    await store.restore();
    await users?.close();
  });

  it('every debit answered before the kill is in the ledger once and announced by its WalletDebited', async () => {
    const { id: userId } = await users.rpc.send(UsersRpc.register, { email: uniqueEmail('durable'), name: 'Dora Durable', password: 'password-1' });
    const run = Date.now().toString(36);
    await users.rpc.send(UsersRpc.creditWallet, { userId, amountCents: 1_000_000, idempotencyKey: `durable:${run}:topup` });

    // Debits from four lanes without pause, so commits keep arriving up to the kill.
    const answered: string[] = [];
    let killing = false;
    const lanes = Array.from({ length: 4 }, async (_, lane) => {
      for (let n = 0; !killing; n++) {
        const idempotencyKey = `durable:${run}:${lane}:${n}`;
        try {
          await users.rpc.send(UsersRpc.debitWallet, { userId, amountCents: 1, idempotencyKey });
        } catch {
          return; // the server is gone: this debit may or may not have been made
        }
        if (!killing) answered.push(idempotencyKey);
      }
    });
    await waitUntil(() => answered.length >= 100, 30_000, 5);
    // kill() sends every SIGKILL before it first yields: each debit counted above was answered before the kill.
    killing = true;
    await store.kill();
    const answeredBeforeKill = [...answered];
    await Promise.all(lanes);
    await store.restart();
    await waitUntil(() => isReady(users), 30_000);

    // Asked again, an answered debit is a replay; a lost one would be made now (replayed: false).
    const lost: string[] = [];
    for (const idempotencyKey of answeredBeforeKill) {
      const again = await users.rpc.send(UsersRpc.debitWallet, { userId, amountCents: 1, idempotencyKey });
      if (!again.replayed) lost.push(idempotencyKey);
    }
    expect({ answered: answeredBeforeKill.length, lost }).toEqual({ answered: answeredBeforeKill.length, lost: [] });

    const mine = new Set(answeredBeforeKill);
    const announced = await readEvents(
      users.link.connection,
      eventStreamName('users'),
      'events.users.WalletDebited.>',
      (e) => mine.has((e.data as { idempotencyKey?: string }).idempotencyKey ?? ''),
      mine.size,
      30_000,
    );
    const keys = announced.map((e) => (e.data as { idempotencyKey: string }).idempotencyKey);
    expect({ events: keys.length, distinct: new Set(keys).size }).toEqual({ events: mine.size, distinct: mine.size });
  }, 120_000);
});
