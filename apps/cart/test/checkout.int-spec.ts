import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
  CartEvents,
  CartRpc,
  ErrorCode,
  ProductsRpc,
  UsersRpc,
  eventStreamName,
  type Checkout,
  type CheckoutCompletedV1,
  type CheckoutFailedV1,
} from '@polystore/contracts';
import { NatsLink, RpcClient } from '@polystore/platform';
import { Redis } from 'ioredis';
import { startApps, stopAll } from '../../../scripts/lib/apps.ts';
import { stack, type AppName } from '../../../scripts/lib/stack.ts';
import { jwtKeyFiles } from '../../../test/support/credentials.js';
import { readEvents } from '../../../test/support/jetstream.js';
import { scrape } from '../../../test/support/metrics.js';
import { failure } from '../../../test/support/rpc.js';
import { opsNats as ops } from '../../../test/support/nats.js';

type Running = { children: Map<string, ChildProcess>; stop: () => Promise<void> };

/**
 * The checkout saga across three real processes — products (OpenSearch), users (PostgreSQL) and
 * cart (Redis) — which the tests stop, kill and restart.
 */
describe('checkout saga (integration)', () => {
  const s = stack('test');
  const keys = jwtKeyFiles();
  const logDir = join(s.dataDir, 'logs');
  const start = (apps: AppName[]): Promise<Running> => startApps(s, keys, { apps, logDir });
  let products: Running;
  let users: Running;
  let cart: Running;
  let link: NatsLink;
  let rpc: RpcClient;
  let redis: Redis;

  beforeAll(async () => {
    // Short leases and polls so a killed cart's checkouts are taken over within seconds.
    Object.assign(process.env, { CART_CHECKOUT_LEASE_MS: '1500', CART_CHECKOUT_RECOVERY_INTERVAL_MS: '300', CART_CHECKOUT_WAIT_MS: '4000' });
    [products, users, cart] = await Promise.all([start(['products']), start(['users']), start(['cart'])]);
    link = await NatsLink.open(ops('checkout-test'));
    rpc = new RpcClient(link, 15_000);
    redis = new Redis(process.env.CART_REDIS_URL!, { keyPrefix: 'cart:' });
  }, 90_000);
  afterAll(async () => {
    redis?.disconnect();
    await link?.close();
    await Promise.all([cart?.stop(), users?.stop(), products?.stop()]);
  });

  const product = (priceCents: number, stockOnHand: number) =>
    rpc.send(ProductsRpc.create, {
      sku: `CO-${randomUUID().slice(0, 8)}`.toUpperCase(),
      name: `Teapot ${priceCents}`,
      brand: 'Potter',
      categories: ['kitchen'],
      priceCents,
      currency: 'EUR',
      stockOnHand,
    });
  const customer = async (balanceCents: number) => {
    const user = await rpc.send(UsersRpc.register, {
      email: `co-${randomUUID()}@example.com`,
      name: 'Checkout Tester',
      password: 'correct horse battery',
    });
    if (balanceCents > 0)
      await rpc.send(UsersRpc.creditWallet, { userId: user.id, amountCents: balanceCents, idempotencyKey: `seed-${randomUUID()}` });
    return user.id;
  };
  const add = (userId: string, productId: string, quantity: number) => rpc.send(CartRpc.addLine, { userId, productId, quantity });
  const checkout = (userId: string, idempotencyKey: string = randomUUID(), extra: object = {}) =>
    rpc.send(CartRpc.checkout, { userId, idempotencyKey, ...extra });
  const wallet = (userId: string) => rpc.send(UsersRpc.getWallet, { userId });
  const reservation = (id: string) => rpc.send(ProductsRpc.getReservation, { reservationId: id });
  const stockOf = async (id: string) => (await rpc.send(ProductsRpc.get, { id })).stockAvailable;
  const failedCheckout = async (call: Promise<unknown>, code: string) => {
    const error = await failure(call);
    expect(error.code).toBe(code);
    return (error.details as { checkout: Checkout }).checkout;
  };
  const settle = async (userId: string, checkoutId: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await rpc.send(CartRpc.getCheckout, { userId, checkoutId }).catch(() => null);
      if ((c && (c.status === 'completed' || c.status === 'failed')) || Date.now() > deadline) return c!;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const cartEvents = (type: string, checkoutId: string) =>
    readEvents(
      link.connection,
      eventStreamName('cart'),
      'events.cart.>',
      (e) => e.type === type && (e.data as { checkoutId?: string }).checkoutId === checkoutId,
      1,
      5_000,
    );

  it('reserves, debits, commits, empties the cart and announces CheckoutCompleted', async () => {
    const user = await customer(10_000);
    const mug = await product(1500, 5);
    const pot = await product(4200, 2);
    await add(user, mug.id, 2);
    await add(user, pot.id, 1);

    const cartMetrics = `http://127.0.0.1:${s.ports.cart}`;
    const before = await scrape(cartMetrics);
    const done = await checkout(user);
    expect(done).toMatchObject({ userId: user, status: 'completed', totalCents: 7200, currency: 'EUR' });
    expect(done.steps.map((st) => [st.name, st.status])).toEqual([
      ['reserve-stock', 'done'],
      ['debit-wallet', 'done'],
      ['commit-stock', 'done'],
      ['clear-cart', 'done'],
    ]);
    expect((await wallet(user)).balanceCents).toBe(2800);
    expect((await reservation(done.checkoutId)).status).toBe('committed');
    expect(await stockOf(mug.id)).toBe(3);
    expect(await stockOf(pot.id)).toBe(1);
    expect((await rpc.send(CartRpc.get, { userId: user })).lines).toEqual([]);

    const [event] = await cartEvents(CartEvents.CheckoutCompleted.type, done.checkoutId);
    expect(event?.data as CheckoutCompletedV1).toMatchObject({ userId: user, totalCents: 7200, currency: 'EUR' });
    expect((event?.data as CheckoutCompletedV1).lines).toHaveLength(2);
    expect(await rpc.send(CartRpc.getCheckout, { userId: user, checkoutId: done.checkoutId })).toMatchObject({ status: 'completed' });
    expect((await failure(rpc.send(CartRpc.getCheckout, { userId: randomUUID(), checkoutId: done.checkoutId }))).code).toBe(ErrorCode.NotFound);

    // Its metrics, scraped from the cart process: one more checkout through each status, one more of each step, the calls it sent.
    const after = await scrape(cartMetrics);
    const delta = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    for (const status of ['reserving', 'debiting', 'committing', 'completed']) {
      expect([status, delta('saga_transitions_total', { service: 'cart', saga: 'checkout', status })]).toEqual([status, 1]);
    }
    for (const step of ['reserve-stock', 'debit-wallet', 'commit-stock']) {
      expect([step, delta('saga_step_duration_seconds_count', { saga: 'checkout', step, result: 'done' })]).toEqual([step, 1]);
    }
    expect(delta('rpc_client_duration_seconds_count', { subject: 'products.reserve-stock.v1', code: 'OK' })).toBe(1);
    expect(delta('rpc_client_duration_seconds_count', { subject: 'users.debit-wallet.v1', code: 'OK' })).toBe(1);
    expect(delta('rpc_server_duration_seconds_count', { subject: 'cart.checkout.v1', code: 'OK' })).toBe(1);
    expect(after.has('saga_oldest_active_age_seconds', { saga: 'checkout' })).toBe(true);
    // It reads products' events into its price snapshots: the durable consumer's counts and backlog are there.
    expect(after.value('event_consumer_events_total', { durable: 'cart-product-snapshots', result: 'handled' })).toBeGreaterThanOrEqual(2);
    expect(after.has('event_consumer_pending_messages', { stream: 'EVENTS_PRODUCTS', durable: 'cart-product-snapshots' })).toBe(true);
    expect(after.value('metrics_probe_failures_total')).toBe(0);
  });

  it('answers a retried key with the same checkout and never charges twice, even when the retries race', async () => {
    const user = await customer(10_000);
    const mug = await product(1000, 10);
    await add(user, mug.id, 3);
    const key = `order-${randomUUID()}`;
    const racing = await Promise.all([checkout(user, key), checkout(user, key), checkout(user, key)]);
    expect(new Set(racing.map((c) => c.checkoutId)).size).toBe(1);
    await add(user, mug.id, 1); // the cart changes; the key still means the first checkout
    const again = await checkout(user, key);
    expect(again).toMatchObject({ checkoutId: racing[0]!.checkoutId, status: 'completed', totalCents: 3000 });
    const w = await wallet(user);
    expect(w.balanceCents).toBe(7000);
    expect(w.recentEntries.filter((e) => e.kind === 'debit')).toHaveLength(1);
    expect((await rpc.send(CartRpc.get, { userId: user })).lines).toMatchObject([{ productId: mug.id, quantity: 1 }]);
  });

  it('out of stock: nothing is debited, the cart is kept, CheckoutFailed says why', async () => {
    const user = await customer(10_000);
    const rare = await product(1000, 1);
    await add(user, rare.id, 2);
    const failed = await failedCheckout(checkout(user), ErrorCode.OutOfStock);
    expect(failed).toMatchObject({ status: 'failed', failure: { code: ErrorCode.OutOfStock } });
    expect(failed.steps.map((st) => [st.name, st.status])).toEqual([['reserve-stock', 'failed']]);
    const w = await wallet(user);
    expect(w.balanceCents).toBe(10_000);
    expect(w.recentEntries.filter((e) => e.kind === 'debit')).toHaveLength(0);
    expect(await stockOf(rare.id)).toBe(1);
    expect((await rpc.send(CartRpc.get, { userId: user })).lines).toHaveLength(1);
    const [event] = await cartEvents(CartEvents.CheckoutFailed.type, failed.checkoutId);
    expect((event?.data as CheckoutFailedV1).reasonCode).toBe(ErrorCode.OutOfStock);
  });

  it('insufficient funds: the stock is released', async () => {
    const user = await customer(1000);
    const pot = await product(4200, 3);
    await add(user, pot.id, 1);
    const failed = await failedCheckout(checkout(user), ErrorCode.InsufficientFunds);
    expect(failed.steps.map((st) => [st.name, st.status])).toEqual([
      ['reserve-stock', 'done'],
      ['debit-wallet', 'failed'],
      ['release-stock', 'done'],
    ]);
    expect((await reservation(failed.checkoutId)).status).toBe('released');
    expect(await stockOf(pot.id)).toBe(3);
    expect((await wallet(user)).balanceCents).toBe(1000);
  });

  it('a price changed since it was shown: fails with PRICE_CHANGED, releasing what it held', async () => {
    const user = await customer(10_000);
    const mug = await product(1500, 5);
    await add(user, mug.id, 2);
    // The user was shown another total.
    const shown = await failedCheckout(checkout(user, randomUUID(), { expectedTotalCents: 2000 }), ErrorCode.PriceChanged);
    expect(shown.steps).toEqual([]);
    // products changed the price, and cart has not heard of it yet (its snapshot still says 1500).
    await rpc.send(ProductsRpc.update, { id: mug.id, priceCents: 1800 });
    await redis.hset(`products:${mug.id}`, 'priceCents', '1500', 'version', '999999');
    const drifted = await failedCheckout(checkout(user), ErrorCode.PriceChanged);
    expect(drifted.failure?.message).toMatch(/1500 EUR → 1800 EUR/);
    expect(drifted.steps.map((st) => st.name)).toEqual(['reserve-stock', 'release-stock']);
    expect((await reservation(drifted.checkoutId)).status).toBe('released');
    expect(await stockOf(mug.id)).toBe(5);
    expect((await wallet(user)).balanceCents).toBe(10_000);
  });

  it('two customers checking out the last unit at once: exactly one gets it', async () => {
    const last = await product(2500, 1);
    const buyers = await Promise.all([customer(10_000), customer(10_000)]);
    for (const b of buyers) await add(b, last.id, 1);
    const outcomes = await Promise.allSettled(buyers.map((b) => checkout(b)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason.code).toBe(ErrorCode.OutOfStock);
    expect(await stockOf(last.id)).toBe(0);
    const balances = await Promise.all(buyers.map(async (b) => (await wallet(b)).balanceCents));
    expect(balances.sort((a, b) => a - b)).toEqual([7500, 10_000]);
  });

  it('a debit whose time ran out (after a long reservation) is not asked for: the checkout fails as not done in time and releases its stock; the release, done after retries, keeps no retry error', async () => {
    const user = await customer(10_000);
    const mug = await product(1500, 4);
    const checkoutId = randomUUID();
    await rpc.send(ProductsRpc.reserveStock, { reservationId: checkoutId, lines: [{ productId: mug.id, quantity: 1 }], ttlSeconds: 900 });
    // As the saga leaves a checkout whose reservation took 58 s to get through: past its debit's notAfter
    // (created + forward deadline 60 s − 5 s), not yet past its forward deadline. products is away, so
    // the release that compensation makes is retried until products is back.
    await products.stop();
    const cartMetrics = `http://127.0.0.1:${s.ports.cart}`;
    const before = await scrape(cartMetrics);
    const createdAt = new Date(Date.now() - 58_000).toISOString();
    const key = `late-debit-${randomUUID()}`;
    const record = {
      checkoutId,
      userId: user,
      idempotencyKey: key,
      status: 'debiting',
      lines: [{ productId: mug.id, name: mug.name, quantity: 1, unitPriceCents: 1500, lineTotalCents: 1500 }],
      totalCents: 1500,
      currency: 'EUR',
      steps: [
        { name: 'reserve-stock', status: 'done', attempts: 9, startedAt: createdAt, finishedAt: new Date().toISOString(), detail: 'held' },
        { name: 'debit-wallet', status: 'started', attempts: 1, startedAt: new Date().toISOString() },
      ],
      createdAt,
      updatedAt: new Date().toISOString(),
      reserved: true,
      debited: true,
    };
    await redis.set(`checkout-keys:${user}:${key}`, checkoutId);
    await redis.set(`checkout-running:${user}`, checkoutId);
    await redis.hset(`checkouts:${checkoutId}`, 'json', JSON.stringify(record), 'revision', '1');
    await redis.zadd('checkouts-active', Date.now(), checkoutId); // no lease: cart's recovery takes it over

    const releaseRetried = async () => {
      const json = await redis.hget(`checkouts:${checkoutId}`, 'json');
      const last = json ? (JSON.parse(json) as Checkout).steps.at(-1) : undefined;
      return last?.name === 'release-stock' && last.attempts >= 2;
    };
    for (const until = Date.now() + 20_000; !(await releaseRetried()); await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() > until) throw new Error(`the release was not retried: ${await redis.hget(`checkouts:${checkoutId}`, 'json')}`);
    }
    products = await start(['products']);

    const done = await settle(user, checkoutId);
    expect(done).toMatchObject({ status: 'failed', failure: { code: ErrorCode.Timeout } });
    expect(done.failure!.message).toMatch(/^debit-wallet could not be done in time/);
    expect(done.steps.map((st) => [st.name, st.status])).toEqual([
      ['reserve-stock', 'done'],
      ['debit-wallet', 'failed'],
      ['refund-wallet', 'done'],
      ['release-stock', 'done'],
    ]);
    const release = done.steps.at(-1)!;
    expect(release.attempts).toBeGreaterThan(1);
    expect(release.detail).toBeUndefined();
    // users was never asked for the debit; nothing was taken.
    const after = await scrape(cartMetrics);
    expect(after.value('rpc_client_duration_seconds_count', { subject: 'users.debit-wallet.v1' })).toBe(
      before.value('rpc_client_duration_seconds_count', { subject: 'users.debit-wallet.v1' }),
    );
    const w = await wallet(user);
    expect(w.balanceCents).toBe(10_000);
    expect(w.recentEntries.filter((e) => e.kind === 'debit')).toHaveLength(0);
    expect((await reservation(checkoutId)).status).toBe('released');
    expect(await stockOf(mug.id)).toBe(4);
  }, 90_000);

  it('rejects an empty cart with 422, starting nothing', async () => {
    const user = await customer(0);
    expect(await failure(checkout(user))).toMatchObject({ code: ErrorCode.Unprocessable, details: { field: 'cart' } });
  });

  it('cart killed mid-saga (users away) and restarted: the checkout completes, charged once', async () => {
    const user = await customer(10_000);
    const mug = await product(1200, 4);
    await add(user, mug.id, 2);
    await users.stop();
    const pending = await checkout(user);
    expect(pending.status).toBe('debiting');
    expect((await reservation(pending.checkoutId)).status).toBe('held');
    const second = await failure(checkout(user));
    expect(second).toMatchObject({ code: ErrorCode.Conflict, details: { checkoutId: pending.checkoutId } });

    cart.children.get('cart')!.kill('SIGKILL');
    await stopAll([...cart.children.values()]);
    users = await start(['users']);
    cart = await start(['cart']);

    const done = await settle(user, pending.checkoutId);
    expect(done.status).toBe('completed');
    expect(done.steps.find((st) => st.name === 'debit-wallet')!.attempts).toBeGreaterThan(1);
    const w = await wallet(user);
    expect(w.balanceCents).toBe(7600);
    expect(w.recentEntries.filter((e) => e.kind === 'debit')).toHaveLength(1);
    expect((await reservation(pending.checkoutId)).status).toBe('committed');
    expect(await stockOf(mug.id)).toBe(2);
    expect((await rpc.send(CartRpc.get, { userId: user })).lines).toEqual([]);
  }, 90_000);

  it('cart killed mid-saga, the money spent meanwhile: after restart it compensates (stock released, nothing charged)', async () => {
    const user = await customer(3000);
    const pot = await product(2500, 2);
    await add(user, pot.id, 1);
    await users.stop();
    const pending = await checkout(user);
    expect(pending.status).toBe('debiting');
    cart.children.get('cart')!.kill('SIGKILL');
    await stopAll([...cart.children.values()]);

    users = await start(['users']);
    await rpc.send(UsersRpc.debitWallet, { userId: user, amountCents: 2000, idempotencyKey: `elsewhere-${randomUUID()}` });
    cart = await start(['cart']);

    const done = await settle(user, pending.checkoutId);
    expect(done).toMatchObject({ status: 'failed', failure: { code: ErrorCode.InsufficientFunds } });
    expect((await reservation(pending.checkoutId)).status).toBe('released');
    expect(await stockOf(pot.id)).toBe(2);
    expect((await wallet(user)).balanceCents).toBe(1000);
    expect((await rpc.send(CartRpc.get, { userId: user })).lines).toHaveLength(1);
  }, 90_000);
});
