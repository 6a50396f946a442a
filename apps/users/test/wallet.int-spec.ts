import { RpcError } from '@polystore/platform';
import { ErrorCode, UsersRpc } from '@polystore/contracts';
import { serviceForSuite } from '../../../test/support/service.js';
import { failure, offContract, uniqueEmail, usersModule } from './support.js';

describe('users wallet (integration)', () => {
  const suite = serviceForSuite({ service: 'users', module: usersModule() });

  const newUser = async () => (await suite.rpc.send(UsersRpc.register, { email: uniqueEmail('w'), name: 'W', password: 'password-1' })).id;
  const credit = (userId: string, amountCents: number, idempotencyKey: string) =>
    suite.rpc.send(UsersRpc.creditWallet, { userId, amountCents, idempotencyKey });
  const debit = (userId: string, amountCents: number, idempotencyKey: string) =>
    suite.rpc.send(UsersRpc.debitWallet, { userId, amountCents, idempotencyKey });

  it('credits and debits with one ledger row per change', async () => {
    const userId = await newUser();
    expect((await credit(userId, 1_000, 'c1')).balanceCents).toBe(1_000);
    expect((await debit(userId, 250, 'd1')).balanceCents).toBe(750);
    const wallet = await suite.rpc.send(UsersRpc.getWallet, { userId });
    expect(wallet.balanceCents).toBe(750);
    expect(wallet.recentEntries.map((e) => [e.kind, e.amountCents, e.balanceAfterCents])).toEqual([
      ['debit', 250, 750],
      ['credit', 1_000, 1_000],
    ]);
  });

  it('replays a movement retried with the same key, and refuses the key for a different movement', async () => {
    const userId = await newUser();
    const first = await credit(userId, 500, 'topup-1');
    const again = await credit(userId, 500, 'topup-1');
    expect(again).toEqual({ ...first, replayed: true });
    expect((await suite.rpc.send(UsersRpc.getWallet, { userId })).balanceCents).toBe(500);
    expect((await failure(credit(userId, 600, 'topup-1'))).code).toBe(ErrorCode.Conflict);
    expect((await failure(debit(userId, 500, 'topup-1'))).code).toBe(ErrorCode.Conflict);
  });

  it('concurrent retries of one key apply once', async () => {
    const userId = await newUser();
    const results = await Promise.all(Array.from({ length: 8 }, () => credit(userId, 300, 'same-key')));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect((await suite.rpc.send(UsersRpc.getWallet, { userId })).balanceCents).toBe(300);
  });

  it('refuses a debit that would make the balance negative', async () => {
    const userId = await newUser();
    await credit(userId, 100, 'c');
    const error = await failure(debit(userId, 101, 'd'));
    expect(error.code).toBe(ErrorCode.InsufficientFunds);
    expect((await suite.rpc.send(UsersRpc.getWallet, { userId })).balanceCents).toBe(100);
  });

  it('refuses a debit asked for after its notAfter, unless it was made already (then it replays)', async () => {
    const userId = await newUser();
    await credit(userId, 1_000, 'funds');
    const past = new Date(Date.now() - 60_000).toISOString();
    const future = new Date(Date.now() + 60_000).toISOString();
    const tooLate = await failure(suite.rpc.send(UsersRpc.debitWallet, { userId, amountCents: 100, idempotencyKey: 'late', notAfter: past }));
    expect(tooLate.code).toBe(ErrorCode.Unprocessable);
    expect(tooLate.details).toMatchObject({ field: 'notAfter', notAfter: past });
    // In time, it is made; asked again later with the same key, the made debit replays.
    const made = await suite.rpc.send(UsersRpc.debitWallet, { userId, amountCents: 100, idempotencyKey: 'in-time', notAfter: future });
    expect(made.balanceCents).toBe(900);
    const again = await suite.rpc.send(UsersRpc.debitWallet, { userId, amountCents: 100, idempotencyKey: 'in-time', notAfter: past });
    expect(again).toEqual({ ...made, replayed: true });
    // The refused one left nothing: no money moved, and its key was never used.
    expect((await suite.rpc.send(UsersRpc.getWallet, { userId })).balanceCents).toBe(900);
    expect((await failure(suite.rpc.send(UsersRpc.refundWallet, { userId, idempotencyKey: 'late:refund', debitIdempotencyKey: 'late' }))).code).toBe(
      ErrorCode.NotFound,
    );
    const invalid = await failure(suite.rpc.send(UsersRpc.debitWallet, { userId, amountCents: 1, idempotencyKey: 'bad', notAfter: 'tomorrow' }));
    expect(invalid.code).toBe(ErrorCode.ValidationFailed);
    expect(invalid.message).toMatch(/notAfter/);
  });

  it('never overspends under concurrent debits', async () => {
    const userId = await newUser();
    await credit(userId, 1_000, 'fund');
    // 25 parallel debits of 70: exactly 14 fit into 1,000.
    const outcomes = await Promise.allSettled(Array.from({ length: 25 }, (_, i) => debit(userId, 70, `spend-${i}`)));
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(14);
    expect(refused.every((r) => (r.reason as RpcError).code === ErrorCode.InsufficientFunds)).toBe(true);
    const wallet = await suite.rpc.send(UsersRpc.getWallet, { userId });
    expect(wallet.balanceCents).toBe(1_000 - 14 * 70);
  });

  it('refunds a debit at most once in total, idempotently', async () => {
    const userId = await newUser();
    await credit(userId, 1_000, 'fund');
    await debit(userId, 400, 'order-1');
    const part = await suite.rpc.send(UsersRpc.refundWallet, { userId, idempotencyKey: 'r1', debitIdempotencyKey: 'order-1', amountCents: 150 });
    expect(part.balanceCents).toBe(750);
    expect(part.entry).toMatchObject({ kind: 'refund', amountCents: 150 });
    const rest = await suite.rpc.send(UsersRpc.refundWallet, { userId, idempotencyKey: 'r2', debitIdempotencyKey: 'order-1' });
    expect(rest.entry.amountCents).toBe(250);
    expect(rest.balanceCents).toBe(1_000);
    const replay = await suite.rpc.send(UsersRpc.refundWallet, { userId, idempotencyKey: 'r2', debitIdempotencyKey: 'order-1' });
    expect(replay.replayed).toBe(true);
    const over = await failure(suite.rpc.send(UsersRpc.refundWallet, { userId, idempotencyKey: 'r3', debitIdempotencyKey: 'order-1' }));
    expect(over.code).toBe(ErrorCode.Unprocessable);
    const unknown = await failure(suite.rpc.send(UsersRpc.refundWallet, { userId, idempotencyKey: 'r4', debitIdempotencyKey: 'no-such-debit' }));
    expect(unknown.code).toBe(ErrorCode.NotFound);
  });

  it('validates amounts: integer cents, positive', async () => {
    const userId = await newUser();
    for (const amountCents of [0, -5, 1.5, '10']) {
      const error = await failure(suite.rpc.send(UsersRpc.creditWallet, offContract({ userId, amountCents, idempotencyKey: 'k' })));
      expect(error.code).toBe(ErrorCode.ValidationFailed);
      expect(error.message).toMatch(/amountCents/);
    }
  });
});
