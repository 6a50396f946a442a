import { randomUUID } from 'node:crypto';
import {
  UsersRpc,
  checkoutWalletKeys,
  eventStreamName,
  orderRefundKey,
  type EventEnvelope,
  type OrderPaymentRefundDeclinedV1,
  type OrderPaymentRefundedV1,
} from '@polystore/contracts';
import { NatsLink, ensureEventStream } from '@polystore/platform';
import { eventually } from '../../../test/support/eventually.js';
import { readEvents } from '../../../test/support/jetstream.js';
import { opsNats } from '../../../test/support/nats.js';
import { cancellationRequested, publishAgain, publishEvent } from '../../../test/support/order-events.js';
import { startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';
import { isReady, waitUntil } from '../../../test/support/store-outage.js';
import { uniqueEmail, usersModule } from './support.js';

type Answer = EventEnvelope<OrderPaymentRefundedV1 | OrderPaymentRefundDeclinedV1>;

/**
 * users' part of the cancellation choreography: orders' OrderCancellationRequested arrives on
 * JetStream (published here as orders would), users refunds the checkout's debit once per order
 * and answers on its own stream. users runs as its own NATS user, so the manifest's grant to read
 * orders' stream is part of the test.
 */
describe('users: refunds a cancelled order (integration)', () => {
  let users: ServiceUnderTest;
  let link: NatsLink;

  /** Started, and ready (its heartbeat has seen PostgreSQL: on a loaded machine the first probe can be late). */
  const start = async () => {
    const service = await startServiceForTest({ service: 'users', module: usersModule(), ownNatsUser: true });
    await waitUntil(() => isReady(service), 30_000);
    return service;
  };
  beforeAll(async () => {
    link = await NatsLink.open(opsNats('users-refunds-test'));
    await ensureEventStream(link.connection, 'orders');
    users = await start();
  }, 60_000);
  afterAll(async () => {
    await users?.close();
    await link?.close();
  });

  /** A customer who paid `debitCents` for a checkout (the debit cart's saga makes), with `balanceCents` left over. */
  async function paidCheckout(debitCents: number, extraCents = 1_000) {
    const profile = await users.rpc.send(UsersRpc.register, { email: uniqueEmail('refund'), name: 'Rita Refund', password: 'password-1' });
    const checkoutId = randomUUID();
    await users.rpc.send(UsersRpc.creditWallet, { userId: profile.id, amountCents: debitCents + extraCents, idempotencyKey: `topup:${checkoutId}` });
    await users.rpc.send(UsersRpc.debitWallet, { userId: profile.id, amountCents: debitCents, idempotencyKey: checkoutWalletKeys.debit(checkoutId) });
    return { userId: profile.id, checkoutId };
  }

  /** users' answers about `orderId` on its stream (read from the start). */
  const answers = (orderId: string, count: number, timeoutMs = 10_000) =>
    readEvents(
      link.connection,
      eventStreamName('users'),
      'events.users.>',
      (e) => e.type.startsWith('OrderPaymentRefund') && (e.data as { orderId?: string }).orderId === orderId,
      count,
      timeoutMs,
    ) as Promise<Answer[]>;
  const balance = async (userId: string) => (await users.rpc.send(UsersRpc.getWallet, { userId })).balanceCents;

  it('refunds the checkout’s debit once, answers OrderPaymentRefunded, and a redelivery or a repeated request refunds nothing more', async () => {
    const { userId, checkoutId } = await paidCheckout(2_500);
    const requested = cancellationRequested({ userId, checkoutId, totalCents: 2_500, lines: [{ productId: randomUUID(), quantity: 1 }] });
    await publishEvent(link.connection, requested);

    const [answer] = await answers(requested.data.orderId, 1);
    expect(answer).toMatchObject({
      type: 'OrderPaymentRefunded',
      producer: 'users',
      data: { orderId: requested.data.orderId, userId, amountCents: 2_500, balanceCents: 3_500 },
    });
    const wallet = await users.rpc.send(UsersRpc.getWallet, { userId });
    expect(wallet.balanceCents).toBe(3_500);
    const refund = wallet.recentEntries.find((e) => e.kind === 'refund')!;
    expect(refund).toMatchObject({ amountCents: 2_500, idempotencyKey: orderRefundKey(requested.data.orderId) });
    expect((answer!.data as OrderPaymentRefundedV1).entryId).toBe(refund.id);

    // The same event delivered again: the inbox has it, nothing happens.
    await publishAgain(link.connection, requested);
    // orders asking again (a new event for the same order): answered again, refunded once.
    const askedAgain = { ...requested, id: randomUUID() };
    await publishEvent(link.connection, askedAgain);
    const both = await answers(requested.data.orderId, 2);
    expect(both.map((a) => a.type)).toEqual(['OrderPaymentRefunded', 'OrderPaymentRefunded']);
    expect((both[1]!.data as OrderPaymentRefundedV1).entryId).toBe(refund.id);
    expect(await answers(requested.data.orderId, 3, 1_500)).toHaveLength(2);
    expect(await balance(userId)).toBe(3_500);
    const entries = (await users.rpc.send(UsersRpc.getWallet, { userId })).recentEntries;
    expect(entries.filter((e) => e.kind === 'refund')).toHaveLength(1);
  }, 40_000);

  it('declines with a code what it cannot refund, and never gives back more than was debited', async () => {
    const { userId, checkoutId } = await paidCheckout(1_000);
    const tooMuch = cancellationRequested({ userId, checkoutId, totalCents: 1_001, lines: [{ productId: randomUUID(), quantity: 1 }] });
    const noDebit = cancellationRequested({ userId, checkoutId: randomUUID(), totalCents: 500, lines: [{ productId: randomUUID(), quantity: 1 }] });
    const otherCurrency = cancellationRequested({
      userId,
      checkoutId,
      totalCents: 1_000,
      currency: 'USD',
      lines: [{ productId: randomUUID(), quantity: 1 }],
    });
    for (const event of [tooMuch, noDebit, otherCurrency]) await publishEvent(link.connection, event);

    const codes = await Promise.all(
      [tooMuch, noDebit, otherCurrency].map(async (e) => {
        const [answer] = await answers(e.data.orderId, 1);
        expect(answer?.type).toBe('OrderPaymentRefundDeclined');
        return (answer!.data as OrderPaymentRefundDeclinedV1).reasonCode;
      }),
    );
    expect(codes).toEqual(['REFUND_EXCEEDS_DEBIT', 'DEBIT_NOT_FOUND', 'CURRENCY_MISMATCH']);
    expect(await balance(userId)).toBe(1_000);

    // The debit already refunded by something else (e.g. an operator): nothing is left to give back.
    await users.rpc.send(UsersRpc.refundWallet, {
      userId,
      idempotencyKey: 'manual-refund',
      debitIdempotencyKey: checkoutWalletKeys.debit(checkoutId),
    });
    const afterManual = cancellationRequested({ userId, checkoutId, totalCents: 1_000, lines: [{ productId: randomUUID(), quantity: 1 }] });
    await publishEvent(link.connection, afterManual);
    const [declined] = await answers(afterManual.data.orderId, 1);
    expect(declined).toMatchObject({ type: 'OrderPaymentRefundDeclined', data: { reasonCode: 'ALREADY_REFUNDED' } });
    expect(await balance(userId)).toBe(2_000);
  }, 40_000);

  it('a cancellation requested while users is stopped is refunded when it is back', async () => {
    const { userId, checkoutId } = await paidCheckout(700, 0);
    await users.close();
    const requested = cancellationRequested({ userId, checkoutId, totalCents: 700, lines: [{ productId: randomUUID(), quantity: 2 }] });
    await publishEvent(link.connection, requested);
    users = await start();
    const [answer] = await answers(requested.data.orderId, 1, 15_000);
    expect(answer).toMatchObject({ type: 'OrderPaymentRefunded', data: { amountCents: 700, balanceCents: 700 } });
    expect(
      await eventually(
        () => balance(userId),
        (b) => b === 700,
      ),
    ).toBe(700);
  }, 60_000);
});
