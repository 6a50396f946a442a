import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import type { Reservation, ReserveStockRequest } from '@polystore/contracts';
import { REFERENCE_CHECKS, type AppName, type ServiceName } from '@polystore/manifest';
import type { ChildProcess } from 'node:child_process';
import { startApps, stopAll, type RunningApps } from '../../scripts/lib/apps.ts';
import { opsRequests, reconcile, type CheckResult } from '../../scripts/lib/reconcile.ts';
import { backup, restore, RestoreRefused, backupTargets, type BackupManifest } from '../../scripts/lib/backup/index.ts';
import { resetStack } from '../../scripts/lib/infra.ts';
import { appEnv, stack } from '../../scripts/lib/stack.ts';
import { NATS, provisionerOf } from '../../scripts/lib/stores/index.ts';
import { jwtKeyFiles } from '../support/credentials.js';
import { eventually } from '../support/eventually.js';
import { bearer, gatewayHttp } from '../support/http.js';

/**
 * Backup and restore of the whole system on the test stack: what a user did is backed up with each
 * store's own tool, each store is wiped and restored on its own, then every store is wiped and
 * everything restored, and the user sees what they saw before.
 */
const s = stack('test');
const base = `http://127.0.0.1:${s.ports.gateway}`;
const keys = jwtKeyFiles();
const quiet = () => {};
// Starting apps waits for each one's readiness; on the shared 2-core machine (load averages of 30
// and more) seven Node processes starting at once have taken over the default 60 s.
const logs = { logDir: join(s.dataDir, 'logs'), timeoutMs: 180_000 };
let apps: RunningApps | undefined;

const http = gatewayHttp(base);
const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const password = 'password-123';

async function login(email: string): Promise<string> {
  const res = await http('POST', '/auth/login', { email, password });
  expect(res.status).toBe(200);
  return res.body.accessToken;
}
async function register(name: string) {
  const email = `${name}-${tag}@example.com`;
  const res = await http('POST', '/auth/register', { email, name, password });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, email, token: await login(email) };
}
// The events reach analytics and messaging asynchronously: poll every 250 ms, for 30 s unless told.
const settled = { timeoutMs: 30_000, intervalMs: 250 };

const day = new Date().toISOString().slice(0, 10);
/** Everything the user (and an admin, for the reports) sees, read through the gateway. */
async function whatTheySee(userToken: string, adminToken: string, conversationId: string) {
  const get = async (path: string, token: string) => {
    const res = await http('GET', path, undefined, bearer(token));
    expect(res.status).toBe(200);
    return res.body;
  };
  return {
    wallet: await get('/users/me/wallet', userToken),
    cart: await get('/cart', userToken),
    notifications: await get('/me/notifications', userToken),
    watches: await get('/me/watches', userToken),
    conversations: await get('/conversations', userToken),
    messages: await get(`/conversations/${conversationId}/messages`, userToken),
    activity: await get('/analytics/me/activity?limit=50', userToken),
    revenue: await get(`/analytics/revenue?from=${day}&to=${day}&by=day`, adminToken),
  };
}

let alice: { id: string; email: string; token: string };
let bob: { id: string; email: string; token: string };
let adminEmail: string;
let conversationId: string;
let productId: string;
let before: Awaited<ReturnType<typeof whatTheySee>>;
let root: string;
let manifests: BackupManifest[];

beforeAll(async () => {
  apps = await startApps(s, keys, logs);
  const admin = await register('backup-admin');
  adminEmail = admin.email;
  await promisify(execFile)(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', admin.email], {
    env: { ...process.env, ...appEnv(s, keys).users },
  });
  const adminToken = await login(admin.email);
  const product = await http(
    'POST',
    '/products',
    {
      sku: `BK-${tag}`.toUpperCase(),
      name: 'Backed-up teapot',
      brand: 'Potter',
      categories: ['home'],
      priceCents: 1500,
      currency: 'EUR',
      stockOnHand: 9,
    },
    bearer(adminToken),
  );
  expect(product.status).toBe(201);
  productId = product.body.id;
  alice = await register('alice');
  bob = await register('bob');
  expect(
    (await http('POST', '/users/me/wallet/credit', { amountCents: 5000 }, { ...bearer(alice.token), 'idempotency-key': 'topup-1' })).status,
  ).toBe(201);
  expect((await http('GET', `/products/${product.body.id}`, undefined, bearer(alice.token))).status).toBe(200);
  expect((await http('PUT', `/me/watches/${product.body.id}`, undefined, bearer(alice.token))).status).toBeLessThan(300);
  expect((await http('POST', '/cart/lines', { productId: product.body.id, quantity: 1 }, bearer(alice.token))).status).toBe(201);
  const checkout = await http('POST', '/cart/checkout', { expectedTotalCents: 1500 }, { ...bearer(alice.token), 'idempotency-key': 'order-1' });
  expect(checkout.body).toMatchObject({ status: 'completed' });
  expect((await http('POST', '/cart/lines', { productId: product.body.id, quantity: 2 }, bearer(alice.token))).status).toBe(201);
  const sent = await http('POST', '/messages', { recipientId: bob.id, text: 'Is the teapot nice?' }, bearer(alice.token));
  conversationId = sent.body.conversationId;
  expect((await http('POST', `/conversations/${conversationId}/messages`, { text: 'Very.' }, bearer(bob.token))).status).toBe(201);
  // Wait until the events have reached their consumers (analytics' reports, messaging's notifications).
  await eventually(
    () => whatTheySee(alice.token, adminToken, conversationId),
    (v) =>
      v.notifications.items.length > 0 &&
      v.revenue.rows.length > 0 &&
      ['UserRegistered', 'ProductViewed', 'CheckoutCompleted'].every((type) => v.activity.items.some((i: { type: string }) => i.type === type)),
    settled,
  );
  // Let the outbox relays and consumers settle, then stop every app: the in-process ClickHouse
  // can be backed up only while analytics is stopped, and a restore refuses running services.
  await new Promise((r) => setTimeout(r, 2000));
  before = await whatTheySee(alice.token, adminToken, conversationId);
  await apps.stop();
  apps = undefined;
  root = join(s.dataDir, 'backups', `e2e-${tag}`);
  manifests = await backup(s, 'all', root, quiet);
}, 600_000);

afterAll(async () => {
  await apps?.stop();
});

describe('backup all', () => {
  it('writes a folder per service and one for the event streams, each with a manifest', () => {
    expect(manifests.map((m) => m.target)).toEqual(backupTargets(s, 'all').map((t) => t.name));
    for (const m of manifests) {
      expect(m).toMatchObject({ format: 'polystore-backup/1', stack: 'test' });
      expect(m.bytes).toBeGreaterThan(0);
      expect(m.count).toBeGreaterThan(0);
      expect(m.parts.every((p) => /^[0-9a-f]{16}$/.test(p.checksum))).toBe(true);
    }
  });
});

describe.each(backupTargets(stack('test'), 'all').map((t) => t.name))('%s alone', (target) => {
  it('is refused onto its store while that holds data, naming what it would replace', async () => {
    const refused = restore(s, target, root, { log: quiet });
    await expect(refused).rejects.toBeInstanceOf(RestoreRefused);
    await expect(refused).rejects.toThrow(new RegExp(`${target}: \\d+ `));
  });

  it('is wiped, restored from the backup, and holds the same counts and checksums', async () => {
    const manifest = manifests.find((m) => m.target === target)!;
    const tool = backupTargets(s, target)[0].tool;
    const ctx = { s, service: target as never, log: quiet };
    if (target === 'events') await NATS.reset(s);
    else await provisionerOf(s, target as never).reset(s, target as never);
    expect((await tool.inspect(ctx)).reduce((sum, p) => sum + p.count, 0)).toBe(0);
    const [restored] = await restore(s, target, root, { log: quiet });
    expect(restored).toEqual(manifest.parts);
  }, 300_000);
});

describe('the whole system', () => {
  it('after every store is wiped and `restore all`, the user logs in and sees the same', async () => {
    await resetStack(s);
    await restore(s, 'all', root, { log: quiet });
    apps = await startApps(s, keys, logs);
    const userToken = await login(alice.email);
    const adminToken = await login(adminEmail);
    const after = await whatTheySee(userToken, adminToken, conversationId);
    expect(after).toEqual(before);
    expect(after.wallet.balanceCents).toBe(3500);
    expect(after.cart.lines).toEqual([expect.objectContaining({ quantity: 2 })]);
  }, 300_000);
});

describe('one service restored from an older backup than the others', () => {
  const views = (activity: { body: { items: Array<{ type: string }> } }) => activity.body.items.filter((i) => i.type === 'ProductViewed').length;

  it('catches up with what happened since by replaying its input streams (restore --replay)', async () => {
    const userToken = await login(alice.email);
    const activity = () => http('GET', '/analytics/me/activity?limit=50', undefined, bearer(userToken));
    expect((await http('GET', `/products/${productId}`, undefined, bearer(userToken))).status).toBe(200);
    const newer = await eventually(activity, (r) => views(r) === 2, settled);
    expect(views(newer)).toBe(2);

    await stopAll([apps!.children.get('analytics')!]);
    const said: string[] = [];
    const [restored] = await restore(s, 'analytics', root, { force: true, replay: true, log: (msg) => said.push(msg) });
    expect(said.join('\n')).toMatch(/replay: deleted the consumers .*EVENTS_GATEWAY\/analytics-ingest/);
    // The store is the backup's again: from before the second view.
    expect(restored).toEqual(manifests.find((m) => m.target === 'analytics')!.parts);
    const analytics = await startApps(s, keys, { ...logs, apps: ['analytics'] });
    try {
      const caughtUp = await eventually(activity, (r) => views(r) === 2, { ...settled, timeoutMs: 60_000 });
      expect(caughtUp.body).toEqual(newer.body);
    } finally {
      await analytics.stop();
    }
  }, 300_000);
});

describe('services restored from different times, then `npm run reconcile`', () => {
  // Apps started here; the first describe's `apps` still owns the others.
  const started: RunningApps[] = [];
  const running = new Map<AppName, ChildProcess>();
  /** Stops these services, restores each from the backup, starts them again. */
  const restoreFromBackup = async (services: ServiceName[]) => {
    await stopAll(services.map((svc) => running.get(svc) ?? apps!.children.get(svc)!));
    for (const svc of services) await restore(s, svc, root, { force: true, log: quiet });
    const again = await startApps(s, keys, { ...logs, apps: services });
    started.push(again);
    for (const [app, child] of again.children) running.set(app, child);
  };
  // Pages of two ids, so paging is exercised on this small data set.
  // Every orphan id listed: the test stack also holds what other suites left (carts of made-up
  // users, …), which reconcile rightly finds too; the assertions are about this suite's own ids.
  const check = (repair: boolean, holders?: ServiceName[]) =>
    reconcile(s, { repair, batch: 2, sampleLimit: 1_000_000, ...(holders ? { holders } : {}) });
  const holds = (results: CheckResult[], ids: string[]) => results.filter((r) => ids.some((id) => r.sample.includes(id)));
  const took: string[] = [];
  let adminToken: string;

  beforeAll(async () => {
    // The previous test left analytics stopped.
    started.push(await startApps(s, keys, { ...logs, apps: ['analytics'] }));
    adminToken = await login(adminEmail);
  }, 240_000);

  afterAll(async () => {
    for (const apps of started.reverse()) await apps.stop();
    if (took.length) console.log(`reconcile on the backup e2e data: ${took.join('; ')}`);
  });

  it('finds what users and products restored from before carol and her product left elsewhere, repairs it, then finds nothing', async () => {
    // After the backup: a product, and a user who carts it and is welcomed; all of it reaches cart,
    // messaging, analytics and orders before users and products go back in time.
    const product = await http(
      'POST',
      '/products',
      {
        sku: `RC-${tag}`.toUpperCase(),
        name: 'Newer kettle',
        brand: 'Potter',
        categories: ['home'],
        priceCents: 900,
        currency: 'EUR',
        stockOnHand: 5,
      },
      bearer(adminToken),
    );
    expect(product.status).toBe(201);
    const carol = await register('carol');
    expect((await http('POST', '/cart/lines', { productId: product.body.id, quantity: 1 }, bearer(carol.token))).status).toBe(201);
    expect((await http('POST', '/cart/lines', { productId, quantity: 1 }, bearer(carol.token))).status).toBe(201);
    // Alice (known to every store) carts and watches the newer product too: only that line and watch may go.
    const aliceToken = await login(alice.email);
    expect((await http('POST', '/cart/lines', { productId: product.body.id, quantity: 1 }, bearer(aliceToken))).status).toBe(201);
    expect((await http('PUT', `/me/watches/${product.body.id}`, undefined, bearer(aliceToken))).status).toBeLessThan(300);
    const aliceBefore = {
      cart: (await http('GET', '/cart', undefined, bearer(aliceToken))).body.lines,
      watches: (await http('GET', '/me/watches', undefined, bearer(aliceToken))).body.items,
    };
    expect(aliceBefore.cart).toHaveLength(2);
    expect(aliceBefore.watches).toHaveLength(2);
    await eventually(
      async () => ({
        notifications: (await http('GET', '/me/notifications', undefined, bearer(carol.token))).body,
        activity: (await http('GET', '/analytics/me/activity?limit=50', undefined, bearer(carol.token))).body,
      }),
      (v) => v.notifications.items?.length > 0 && v.activity.items?.some((i: { type: string }) => i.type === 'CartItemAdded'),
      settled,
    );
    await restoreFromBackup(['users', 'products']);
    // A stock reservation for a checkout cart never recorded: what a cart restored from before it looks like.
    const ops = await opsRequests(s, 10_000);
    const stray = randomUUID();
    try {
      const held = await ops.send<ReserveStockRequest, Reservation>('products.reserve-stock.v1', {
        reservationId: stray,
        lines: [{ productId, quantity: 1 }],
      });
      expect(held.status).toBe('held');
      // Bad requests are refused with a code naming the problem, not answered with an empty page.
      await expect(ops.send('analytics.list-references.v1', { owner: 'products', limit: 10 })).rejects.toThrow(
        /VALIDATION_FAILED analytics keeps no ids of products/,
      );
      await expect(ops.send('analytics.list-references.v1', { owner: 'users', limit: 0 })).rejects.toThrow(/VALIDATION_FAILED/);
    } finally {
      await ops.close();
    }
    // Each owner's id that others still keep: carol (users), the kettle (products), the reservation's checkout (cart).
    const orphanOf: Record<string, string> = {};
    orphanOf.users = carol.id;
    orphanOf.products = product.body.id;
    orphanOf.cart = stray;

    // orders' read model gets carol from the stream; the reservation shows in search after a refresh.
    const found = await eventually(
      () => check(false),
      (rs) => rs.every((r) => r.sample.includes(orphanOf[r.owner]!)),
      settled,
    );
    expect(found.map((r) => [r.holder, r.owner])).toEqual(REFERENCE_CHECKS.map((c) => [c.holder, c.owner]));
    for (const r of found) {
      expect({ check: `${r.holder}/${r.owner}`, unknown: r.sample.slice(0, r.unknown).includes(orphanOf[r.owner]!), repaired: r.repaired }).toEqual({
        check: `${r.holder}/${r.owner}`,
        unknown: true,
        repaired: null,
      });
    }
    expect(found.every((r) => r.error === undefined && r.checked >= 1)).toBe(true);
    took.push(`dry run ${found.reduce((sum, r) => sum + r.ms, 0)} ms over ${found.length} checks`);

    const repaired = await check(true);
    took.push(`repair ${repaired.reduce((sum, r) => sum + r.ms, 0)} ms`);
    for (const r of repaired) {
      expect({ check: `${r.holder}/${r.owner}`, error: r.error, repairedAll: r.repaired !== null && r.repaired >= r.unknown }).toEqual({
        check: `${r.holder}/${r.owner}`,
        error: undefined,
        repairedAll: true,
      });
      expect(Object.values(r.counts).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
    }
    const byPair = new Map(repaired.map((r) => [`${r.holder}/${r.owner}`, r.counts]));
    expect(byPair.get('products/cart')?.reservationsReleased).toBeGreaterThanOrEqual(1);
    // Carol's own cart and watch went with her (the users checks run first); alice's line and watch of the kettle remain to go.
    expect(byPair.get('messaging/products')?.watches).toBeGreaterThanOrEqual(1);
    expect(byPair.get('cart/products')?.cartLines).toBeGreaterThanOrEqual(1);
    expect(byPair.get('cart/products')?.snapshots).toBeGreaterThanOrEqual(1);

    const after = await eventually(
      () => check(false),
      (rs) => holds(rs, Object.values(orphanOf)).length === 0,
      settled,
    );
    expect(after.every((r) => r.error === undefined)).toBe(true);
    // Alice lost the kettle's line and watch, and nothing else.
    expect((await http('GET', '/cart', undefined, bearer(aliceToken))).body.lines).toEqual(
      aliceBefore.cart.filter((l: { productId: string }) => l.productId === productId),
    );
    expect((await http('GET', '/me/watches', undefined, bearer(aliceToken))).body.items).toEqual(
      aliceBefore.watches.filter((w: { productId: string }) => w.productId === productId),
    );
  }, 300_000);

  it('applies an erasure again to a participant restored from before it (users publishes it again)', async () => {
    const aliceToken = await login(alice.email);
    expect((await http('DELETE', `/users/${bob.id}`, undefined, bearer(adminToken))).status).toBe(202);
    const status = () => http('GET', `/users/${bob.id}/erasure`, undefined, bearer(adminToken));
    const first = await eventually(status, (r) => r.status === 200 && r.body.completedAt !== null, { ...settled, timeoutMs: 60_000 });
    // messaging from the backup: bob's welcome and his conversation with alice are back.
    await restoreFromBackup(['messaging']);
    const found = (await check(false, ['messaging'])).find((r) => r.owner === 'users')!;
    expect(found.sample.slice(found.unknown)).toContain(bob.id); // among the erased, not the unknown

    const repaired = (await check(true, ['messaging'])).find((r) => r.owner === 'users')!;
    expect(repaired.error).toBeUndefined();
    expect(repaired.counts.erasuresRepublished).toBeGreaterThanOrEqual(1);
    const again = await eventually(
      status,
      (r) => r.body.completedAt !== null && r.body.services.find((x: { service: string }) => x.service === 'messaging')?.attempts > 1,
      { ...settled, timeoutMs: 60_000 },
    );
    expect(Date.parse(again.body.completedAt)).toBeGreaterThan(Date.parse(first.body.completedAt));
    const conversations = (await http('GET', '/conversations', undefined, bearer(aliceToken))).body.items;
    expect(conversations).toEqual([expect.objectContaining({ otherUserErased: true })]);
    expect(holds(await check(false), [bob.id])).toEqual([]);
  }, 300_000);
});
