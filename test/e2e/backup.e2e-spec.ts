import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApps, stopAll, type RunningApps } from '../../scripts/lib/apps.ts';
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
let adminEmail: string;
let conversationId: string;
let productId: string;
let before: Awaited<ReturnType<typeof whatTheySee>>;
let root: string;
let manifests: BackupManifest[];

beforeAll(async () => {
  apps = await startApps(s, keys, { logDir: join(s.dataDir, 'logs') });
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
  const bob = await register('bob');
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
    apps = await startApps(s, keys, { logDir: join(s.dataDir, 'logs') });
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
    const analytics = await startApps(s, keys, { apps: ['analytics'], logDir: join(s.dataDir, 'logs') });
    try {
      const caughtUp = await eventually(activity, (r) => views(r) === 2, { ...settled, timeoutMs: 60_000 });
      expect(caughtUp.body).toEqual(newer.body);
    } finally {
      await analytics.stop();
    }
  }, 300_000);
});
