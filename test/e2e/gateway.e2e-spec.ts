import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { APPS, EVENT_PRODUCERS, SERVICE_NAMES } from '@polystore/manifest';
import { OrdersRpc } from '@polystore/contracts';
import { OPTIONAL_SECTIONS, SECTION_SOURCES } from '../../apps/gateway/src/me/overview.js';
import { NatsLink, RpcClient } from '@polystore/platform';
import { startApps } from '../../scripts/lib/apps.ts';
import { stack, appEnv } from '../../scripts/lib/stack.ts';
import { readUsage, type AppUsage } from '../../scripts/lib/usage.ts';
import { jwtKeyFiles } from '../support/credentials.js';
import { opsNats } from '../support/nats.js';
import { eventually as pollUntil } from '../support/eventually.js';
import { gatewayClient } from '../support/gateway-client.js';
import { bearer, gatewayHttp, type JsonResponse } from '../support/http.js';

/** HTTP through the gateway with every app running as its own process on the test stack. */
const s = stack('test');
const base = `http://127.0.0.1:${s.ports.gateway}`;
const keys = jwtKeyFiles();
let apps: { children: Map<string, import('node:child_process').ChildProcess>; stop: () => Promise<void> };

const http = gatewayHttp(base);
/** Well-formed requests go through the client typed by the OpenAPI document; deliberately bad ones through http(). */
const api = (token?: string) => gatewayClient(base, token);
const email = (tag: string) => `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;

async function registerAndLogin(tag = 'e2e') {
  const address = email(tag);
  const reg = await api().POST('/auth/register', { body: { email: address, name: 'E2E User', password: 'password-123' } });
  expect(reg.response.status).toBe(201);
  const login = await api().POST('/auth/login', { body: { email: address, password: 'password-123' } });
  expect(login.response.status).toBe(200);
  return { id: reg.data!.id, email: address, token: login.data!.accessToken };
}

// A cold start of all seven apps took ~60 s on the shared 2-core machine under load (load average ~50).
beforeAll(async () => {
  apps = await startApps(s, keys, { logDir: join(s.dataDir, 'logs'), timeoutMs: 180_000 });
}, 200_000);
afterAll(async () => {
  await apps?.stop();
});

describe('gateway → users (e2e)', () => {
  it('reports the whole system healthy', async () => {
    const res = await http('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body.services.map((x: { service: string; ok: boolean }) => [x.service, x.ok])).toEqual(
      SERVICE_NAMES.map((service) => [service, true]),
    );
  });

  it('answers liveness and readiness apart (gateway: NATS only)', async () => {
    expect(await http('GET', '/health/live')).toMatchObject({ status: 200, body: { service: 'gateway', live: true } });
    expect(await http('GET', '/health/ready')).toMatchObject({ status: 200, body: { service: 'gateway', ok: true } });
  });

  it('serves the OpenAPI document and its UI', async () => {
    const json = await http('GET', '/docs-json');
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining(['/auth/register', '/auth/login', '/users/me', '/users/{id}', '/users/me/wallet', '/users/me/wallet/credit']),
    );
    const ui = await fetch(`${base}/docs`);
    expect(ui.status).toBe(200);
  });

  it('registers, logs in, reads and updates the own profile', async () => {
    const me = await registerAndLogin();
    const profile = await http('GET', '/users/me', undefined, bearer(me.token));
    expect(profile).toMatchObject({ status: 200, body: { id: me.id, email: me.email, role: 'customer' } });
    const patched = await http('PATCH', '/users/me', { name: 'Renamed' }, bearer(me.token));
    expect(patched).toMatchObject({ status: 200, body: { name: 'Renamed' } });
    // null is not "leave it": a 400 naming the field, and nothing changes (it was a 500).
    const nulled = await http('PATCH', '/users/me', { name: 'Ada King', email: null }, bearer(me.token));
    expect(nulled.status).toBe(400);
    expect(nulled.body.details.map((d: { field: string }) => d.field)).toEqual(['email']);
    expect((await http('PATCH', '/users/me', { name: null, email: null }, bearer(me.token))).status).toBe(400);
    expect((await http('GET', '/users/me', undefined, bearer(me.token))).body).toMatchObject({ name: 'Renamed', email: me.email });
  });

  it('shows another user’s public fields only', async () => {
    const a = await registerAndLogin('a');
    const b = await registerAndLogin('b');
    const res = await http('GET', `/users/${b.id}`, undefined, bearer(a.token));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'id', 'name']);
    expect((await http('GET', '/users/not-a-uuid', undefined, bearer(a.token))).status).toBe(400);
    expect((await http('GET', '/users/01890000-0000-7000-8000-000000000000', undefined, bearer(a.token))).status).toBe(404);
  });

  it('tops up the wallet idempotently', async () => {
    const me = await registerAndLogin('wallet');
    const missingKey = await http('POST', '/users/me/wallet/credit', { amountCents: 500 }, bearer(me.token));
    expect(missingKey.status).toBe(400);
    expect(missingKey.body.message).toMatch(/Idempotency-Key/);
    const credit = () =>
      api(me.token).POST('/users/me/wallet/credit', { params: { header: { 'Idempotency-Key': 'k-1' } }, body: { amountCents: 500 } });
    const first = await credit();
    const retry = await credit();
    expect({ status: first.response.status, body: first.data }).toMatchObject({ status: 201, body: { balanceCents: 500, replayed: false } });
    expect({ status: retry.response.status, body: retry.data }).toMatchObject({
      status: 201,
      body: { balanceCents: 500, replayed: true, entry: { id: first.data!.entry.id, reason: null, refundOf: null } },
    });
    const wallet = await api(me.token).GET('/users/me/wallet');
    expect(wallet.data).toMatchObject({ balanceCents: 500, currency: 'EUR' });
    const bad = await http('POST', '/users/me/wallet/credit', { amountCents: -3 }, { ...bearer(me.token), 'idempotency-key': 'k-2' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/amountCents/);
  });

  describe('bad input', () => {
    it('malformed JSON → 400', async () => {
      const res = await http('POST', '/auth/register', '{"email": ');
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/JSON/);
    });

    it('unknown and wrong-typed fields → 400 naming each', async () => {
      const res = await http('POST', '/auth/register', { email: 42, name: 'x', password: 'password-123', role: 'admin' });
      expect(res.status).toBe(400);
      const fields = res.body.details.map((d: { field: string }) => d.field).sort();
      expect(fields).toEqual(['email', 'role']);
      expect(res.body.message).toMatch(/role should not exist/);
    });

    it('an unknown path → 404, a known path with another method → 405 with Allow, both in the app’s error shape', async () => {
      expect(await http('GET', '/nowhere')).toMatchObject({ status: 404, body: { statusCode: 404, error: 'NOT_FOUND' } });
      const put = await http('PUT', '/cart');
      expect(put).toMatchObject({ status: 405, body: { statusCode: 405, error: 'METHOD_NOT_ALLOWED' } });
      expect(put.headers.get('allow')).toBe('GET, HEAD, DELETE');
      // Fastify wants a content type with QUERY before it routes: still a 405 about the route.
      expect((await http('QUERY', '/cart')).status).toBe(405);
    });

    it('a number of the wrong kind → one message naming the field', async () => {
      const me = await registerAndLogin('limit');
      const res = await http('GET', '/me/watches?limit=1.5', undefined, bearer(me.token));
      expect(res).toMatchObject({ status: 400, body: { details: [{ field: 'limit', problems: ['limit must be a whole number'] }] } });
    });

    it('an oversize body → 400 saying so', async () => {
      const res = await http('POST', '/auth/register', { email: 'big@example.com', name: 'x'.repeat(200_000), password: 'password-123' });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('BODY_TOO_LARGE');
    });

    it('duplicate email → 409, in any letter case', async () => {
      const me = await registerAndLogin('dup');
      const res = await http('POST', '/auth/register', { email: me.email.toUpperCase(), name: 'Again', password: 'password-123' });
      expect(res.status).toBe(409);
    });

    it('five failed logins lock the account for a while: 429 with Retry-After, even with the right password; others unaffected', async () => {
      const me = await registerAndLogin('lockout');
      for (let i = 0; i < 5; i++) expect((await http('POST', '/auth/login', { email: me.email, password: `wrong-${i}` })).status).toBe(401);
      const locked = await http('POST', '/auth/login', { email: me.email.toUpperCase(), password: 'password-123' });
      expect(locked).toMatchObject({ status: 429, body: { error: 'TOO_MANY_REQUESTS', details: { retryAfterSeconds: expect.any(Number) } } });
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
      expect((await registerAndLogin('not-locked')).token).toBeTruthy();
    });

    it('wrong password, missing, invalid or expired token → 401', async () => {
      const me = await registerAndLogin('auth');
      expect((await http('POST', '/auth/login', { email: me.email, password: 'wrong-password' })).status).toBe(401);
      expect((await http('GET', '/users/me')).status).toBe(401);
      expect((await http('GET', '/users/me', undefined, bearer('garbage'))).status).toBe(401);
      const jwt = new JwtService({ privateKey: readFileSync(keys.privateKeyFile, 'utf8') });
      const expired = await jwt.signAsync(
        { sub: me.id, role: 'customer', exp: Math.floor(Date.now() / 1000) - 10 },
        { algorithm: 'ES256', issuer: 'polystore-users', audience: 'polystore' },
      );
      const res = await http('GET', '/users/me', undefined, bearer(expired));
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/expired/);
      // A token signed with another key (e.g. by the gateway itself) is refused.
      const forged = await new JwtService({ secret: 'guess' }).signAsync(
        { sub: me.id, role: 'admin' },
        { issuer: 'polystore-users', audience: 'polystore' },
      );
      expect((await http('GET', '/users/me', undefined, bearer(forged))).status).toBe(401);
    });
  });

  it('grants admin only through the documented command, and the role travels in the token', async () => {
    const me = await registerAndLogin('admin');
    const env = { ...process.env, ...appEnv(s, keys).users };
    const { stdout } = await promisify(execFile)(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', me.email], { env });
    expect(stdout).toMatch(/is now admin/);
    const login = await http('POST', '/auth/login', { email: me.email, password: 'password-123' });
    const claims = JSON.parse(Buffer.from(login.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.role).toBe('admin');
    expect(login.body.user.role).toBe('admin');
  });
});

describe('gateway → products (e2e)', () => {
  async function admin() {
    const me = await registerAndLogin('catalog-admin');
    const env = { ...process.env, ...appEnv(s, keys).users };
    await promisify(execFile)(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', me.email], { env });
    const login = await http('POST', '/auth/login', { email: me.email, password: 'password-123' });
    return login.body.accessToken as string;
  }
  const sku = () => `E2E-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
  const body = (s: string) => ({ sku: s, name: 'Desk lamp', brand: 'Lumo', categories: ['home'], priceCents: 2999, currency: 'EUR', stockOnHand: 3 });

  it('lets an admin write the catalog, anyone read it, and refuses writes from customers', async () => {
    const customer = await registerAndLogin('catalog-customer');
    expect((await http('POST', '/products', body(sku()), bearer(customer.token))).status).toBe(403);
    expect((await http('POST', '/products', body(sku()))).status).toBe(401);
    const token = await admin();
    const created = await api(token).POST('/products', { body: body(sku()) });
    expect(created.response.status).toBe(201);
    const read = await api().GET('/products/{id}', { params: { path: { id: created.data!.id } } });
    expect({ status: read.response.status, body: read.data }).toMatchObject({ status: 200, body: { name: 'Desk lamp', stockAvailable: 3 } });
    const id = created.data!.id;
    const reprice = (as: string) => api(as).PATCH('/products/{id}', { params: { path: { id } }, body: { priceCents: 2499 } });
    expect((await reprice(customer.token)).response.status).toBe(403);
    expect((await reprice(token)).data!.priceCents).toBe(2499);
    expect((await api(token).POST('/products', { body: body(created.data!.sku) })).response.status).toBe(409);
    expect((await http('PATCH', `/products/${id}`, { priceCents: -5 }, bearer(token))).status).toBe(400);
    expect((await api(token).DELETE('/products/{id}', { params: { path: { id } } })).response.status).toBe(204);
    expect((await http('GET', `/products/${id}`)).status).toBe(404);
  });

  it('searches and suggests through query strings, naming bad parameters', async () => {
    const token = await admin();
    const brand = `E2eBrand${Date.now().toString(36)}`;
    await http('POST', '/products', { ...body(sku()), brand, name: 'Walnut desk lamp' }, bearer(token));
    const deadline = Date.now() + 5_000;
    let page = await http('GET', `/products?brand=${brand}&q=lamps&inStock=true&minPrice=100&limit=5`);
    while (page.body.total === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200)); // the index refreshes every second
      page = await http('GET', `/products?brand=${brand}&q=lamps&inStock=true&minPrice=100&limit=5`);
    }
    expect(page).toMatchObject({ status: 200, body: { total: 1, items: [{ name: 'Walnut desk lamp' }] } });
    const bad = await http('GET', '/products?minPrice=cheap&sort=random');
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['minPrice', 'sort']);
    expect((await http('GET', '/products?cursor=xyz')).status).toBe(400);
    const suggest = await http('GET', '/products/suggest?q=Walnut%20d');
    expect(suggest.body.names).toContain('Walnut desk lamp');
  });
});

describe('gateway → cart (e2e)', () => {
  it('keeps each user’s cart to themselves and answers limits with 422', async () => {
    const adminUser = await registerAndLogin('cart-admin');
    const env = { ...process.env, ...appEnv(s, keys).users };
    await promisify(execFile)(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', adminUser.email], { env });
    const adminToken = (await http('POST', '/auth/login', { email: adminUser.email, password: 'password-123' })).body.accessToken;
    const product = await http(
      'POST',
      '/products',
      {
        sku: `CART-E2E-${Date.now().toString(36)}`.toUpperCase(),
        name: 'Teapot',
        brand: 'Potter',
        categories: ['kitchen'],
        priceCents: 3500,
        currency: 'EUR',
        stockOnHand: 5,
      },
      bearer(adminToken),
    );
    expect(product.status).toBe(201);
    const alice = await registerAndLogin('alice');
    const bob = await registerAndLogin('bob');
    expect((await http('GET', '/cart')).status).toBe(401);
    const added = await api(alice.token).POST('/cart/lines', { body: { productId: product.body.id, quantity: 2 } });
    expect({ status: added.response.status, body: added.data }).toMatchObject({
      status: 201,
      body: { userId: alice.id, totalCents: 7000, lines: [{ name: 'Teapot', quantity: 2 }] },
    });
    expect((await api(bob.token).GET('/cart')).data!.lines).toEqual([]);
    expect((await http('PATCH', `/cart/lines/${product.body.id}`, { quantity: 100 }, bearer(alice.token))).status).toBe(422);
    expect((await http('POST', '/cart/lines', { productId: 'nope', quantity: 1 }, bearer(alice.token))).status).toBe(400);
    expect((await http('DELETE', `/cart/lines/${product.body.id}`, undefined, bearer(alice.token))).body.lines).toEqual([]);
  });

  it('checks out with an Idempotency-Key: 201 once, the same checkout on a retry, 422 with the reason when funds are short', async () => {
    const adminUser = await registerAndLogin('checkout-admin');
    const env = { ...process.env, ...appEnv(s, keys).users };
    await promisify(execFile)(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', adminUser.email], { env });
    const adminToken = (await http('POST', '/auth/login', { email: adminUser.email, password: 'password-123' })).body.accessToken;
    const product = await http(
      'POST',
      '/products',
      {
        sku: `CO-E2E-${Date.now().toString(36)}`.toUpperCase(),
        name: 'Kettle',
        brand: 'Potter',
        categories: ['kitchen'],
        priceCents: 2000,
        currency: 'EUR',
        stockOnHand: 5,
      },
      bearer(adminToken),
    );
    const carol = await registerAndLogin('carol');
    await api(carol.token).POST('/users/me/wallet/credit', { params: { header: { 'Idempotency-Key': 'topup-1' } }, body: { amountCents: 5000 } });
    await api(carol.token).POST('/cart/lines', { body: { productId: product.body.id, quantity: 2 } });

    const noKey = await http('POST', '/cart/checkout', {}, bearer(carol.token));
    expect(noKey.status).toBe(400);
    expect(noKey.body.details[0].field).toBe('Idempotency-Key');
    expect((await http('POST', '/cart/checkout', { expectedTotalCents: 'lots' }, { ...bearer(carol.token), 'idempotency-key': 'k1' })).status).toBe(
      400,
    );

    const headers = { ...bearer(carol.token), 'idempotency-key': 'order-1' };
    const { data: done, response: res } = await api(carol.token).POST('/cart/checkout', {
      params: { header: { 'Idempotency-Key': 'order-1' } },
      body: { expectedTotalCents: 4000 },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/checkouts/${done!.checkoutId}`);
    expect(done).toMatchObject({ status: 'completed', totalCents: 4000 });
    const again = await http('POST', '/cart/checkout', {}, headers);
    expect(again).toMatchObject({ status: 201, body: { checkoutId: done!.checkoutId } });
    expect((await http('GET', '/users/me/wallet', undefined, bearer(carol.token))).body.balanceCents).toBe(1000);
    expect(await http('GET', `/checkouts/${done!.checkoutId}`, undefined, bearer(carol.token))).toMatchObject({
      status: 200,
      body: { status: 'completed' },
    });
    const dave = await registerAndLogin('dave');
    expect((await http('GET', `/checkouts/${done!.checkoutId}`, undefined, bearer(dave.token))).status).toBe(404);
    expect((await http('GET', '/checkouts/not-an-id', undefined, bearer(dave.token))).status).toBe(400);

    await http('POST', '/cart/lines', { productId: product.body.id, quantity: 1 }, bearer(dave.token));
    const short = await http('POST', '/cart/checkout', {}, { ...bearer(dave.token), 'idempotency-key': 'order-1' });
    expect(short).toMatchObject({ status: 422, body: { error: 'INSUFFICIENT_FUNDS', details: { checkout: { status: 'failed' } } } });
    expect((await http('GET', `/products/${product.body.id}`)).body.stockAvailable).toBe(3);

    // The facts reach the other services as events only: a receipt in messaging, the checkout in analytics.
    const eventually = async (path: string, token: string, found: (body: any) => boolean) =>
      (
        await pollUntil(
          () => http('GET', path, undefined, bearer(token)),
          (res) => found(res.body),
          { timeoutMs: 15_000, intervalMs: 250 },
        )
      ).body;
    const notes = await eventually('/me/notifications', carol.token, (b) => b?.items?.some((n: { kind: string }) => n.kind === 'receipt'));
    expect(notes.items.find((n: { kind: string }) => n.kind === 'receipt').data).toMatchObject({ checkoutId: done!.checkoutId, totalCents: 4000 });
    const daveNotes = await eventually('/me/notifications', dave.token, (b) => b?.items?.some((n: { kind: string }) => n.kind === 'checkout-failed'));
    expect(daveNotes.items.some((n: { kind: string }) => n.kind === 'checkout-failed')).toBe(true);
    const activity = await eventually('/analytics/me/activity', carol.token, (b) =>
      b?.items?.some((e: { type: string }) => e.type === 'CheckoutCompleted'),
    );
    expect(activity.items.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['CheckoutCompleted', 'CartItemAdded']));
  });
});

describe('gateway → analytics (e2e)', () => {
  async function adminToken() {
    const me = await registerAndLogin('analytics-admin');
    const env = { ...process.env, ...appEnv(s, keys).users };
    await promisify(execFile)(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', me.email], { env });
    return (await http('POST', '/auth/login', { email: me.email, password: 'password-123' })).body.accessToken as string;
  }
  const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 24 * 3600_000).toISOString().slice(0, 10);
  const eventually = <T>(read: () => Promise<JsonResponse<T>>, check: (r: JsonResponse<T>) => boolean) =>
    pollUntil(read, check, { timeoutMs: 20_000, intervalMs: 250 });

  it('counts served product pages (ProductViewed) and shows them in the admin reports', async () => {
    const token = await adminToken();
    const product = await http(
      'POST',
      '/products',
      {
        sku: `AN-E2E-${Date.now().toString(36)}`.toUpperCase(),
        name: 'Viewed vase',
        brand: 'Potter',
        categories: ['home'],
        priceCents: 1900,
        currency: 'EUR',
        stockOnHand: 2,
      },
      bearer(token),
    );
    expect(product.status).toBe(201);
    const viewer = await registerAndLogin('viewer');
    expect((await http('GET', `/products/${product.body.id}`)).status).toBe(200);
    expect((await http('GET', `/products/${product.body.id}`)).status).toBe(200);
    expect((await http('GET', `/products/${product.body.id}`, undefined, bearer(viewer.token))).status).toBe(200);
    const range = `from=${day(-1)}&to=${day(1)}`;
    const top = await eventually(
      () => http('GET', `/analytics/top-products?${range}&by=views&limit=100`, undefined, bearer(token)),
      (r) => r.body?.rows?.some((row: { productId: string; value: number }) => row.productId === product.body.id && row.value >= 3),
    );
    expect(top.status).toBe(200);
    expect(top.body.rows.find((row: { productId: string }) => row.productId === product.body.id)).toEqual({
      productId: product.body.id,
      name: 'Viewed vase',
      value: 3,
      currency: null,
    });
    const funnel = await http('GET', `/analytics/funnel?${range}`, undefined, bearer(token));
    expect(funnel.status).toBe(200);
    expect(funnel.body.days).toHaveLength(3);
    expect(funnel.body.total.viewed).toBeGreaterThanOrEqual(3);
    // The signed-in viewer sees their own view (and registration) in their activity.
    const mine = await eventually(
      () => http('GET', '/analytics/me/activity?limit=20', undefined, bearer(viewer.token)),
      (r) =>
        r.body?.items?.some((i: { type: string }) => i.type === 'ProductViewed') &&
        r.body.items.some((i: { type: string }) => i.type === 'UserRegistered'),
    );
    expect(mine).toMatchObject({ status: 200, body: { userId: viewer.id } });
    expect(mine.body.items.find((i: { type: string }) => i.type === 'ProductViewed').data).toEqual({ productId: product.body.id, userId: viewer.id });
    expect((await http('GET', `/analytics/users/${viewer.id}/activity`, undefined, bearer(token))).body.items.length).toBe(mine.body.items.length);
  });

  it('keeps reports to admins (a user sees only their own activity) and names bad parameters with 400', async () => {
    const customer = await registerAndLogin('analytics-customer');
    const other = await registerAndLogin('analytics-other');
    expect((await http('GET', `/analytics/revenue?from=${day(0)}&to=${day(0)}&by=day`)).status).toBe(401);
    expect((await http('GET', `/analytics/revenue?from=${day(0)}&to=${day(0)}&by=day`, undefined, bearer(customer.token))).status).toBe(403);
    expect((await http('GET', `/analytics/users/${other.id}/activity`, undefined, bearer(customer.token))).status).toBe(403);
    const token = await adminToken();
    const ok = await http('GET', `/analytics/revenue?from=${day(-7)}&to=${day(0)}&by=category`, undefined, bearer(token));
    expect(ok).toMatchObject({ status: 200, body: { by: 'category', rows: expect.any(Array) } });
    expect((await http('GET', `/analytics/daily-active-users?from=${day(-2)}&to=${day(0)}`, undefined, bearer(token))).body.days).toHaveLength(3);
    const reversed = await http('GET', `/analytics/funnel?from=${day(0)}&to=${day(-1)}`, undefined, bearer(token));
    expect(reversed.status).toBe(400);
    expect(reversed.body.details).toEqual([{ field: 'to', problems: ['to must not be before from'] }]);
    const tooLong = await http('GET', `/analytics/daily-active-users?from=${day(-400)}&to=${day(0)}`, undefined, bearer(token));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.details.map((d: { field: string }) => d.field)).toEqual(['to']);
    const dimension = await http('GET', `/analytics/revenue?from=${day(0)}&to=${day(0)}&by=brand`, undefined, bearer(token));
    expect(dimension.status).toBe(400);
    expect(dimension.body.message).toMatch(/by must be one of: day, category/);
    expect((await http('GET', `/analytics/top-products?from=${day(0)}&to=${day(0)}&by=views&limit=1000`, undefined, bearer(token))).status).toBe(400);
  });
});

describe('gateway → messaging (e2e)', () => {
  const until = async <T>(read: () => Promise<T>, check: (v: T) => boolean) => {
    const deadline = Date.now() + 15_000;
    let value = await read();
    while (!check(value) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 150));
      value = await read();
    }
    return value;
  };

  it('welcomes a new user in their notifications, marks read, counts unread', async () => {
    const ada = await registerAndLogin('notified');
    expect((await http('GET', '/me/notifications')).status).toBe(401);
    const inbox = await until(
      () => http('GET', '/me/notifications', undefined, bearer(ada.token)),
      (r) => r.body?.items?.length > 0,
    );
    expect(inbox).toMatchObject({ status: 200, body: { items: [{ kind: 'welcome', readAt: null }], nextCursor: null } });
    expect((await http('GET', '/me/notifications/unread-count', undefined, bearer(ada.token))).body).toEqual({ unread: 1 });
    const read = await http('POST', `/me/notifications/${inbox.body.items[0].id}/read`, undefined, bearer(ada.token));
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    expect((await http('GET', '/me/notifications?unread=true', undefined, bearer(ada.token))).body.items).toEqual([]);
    expect((await http('POST', '/me/notifications/read', undefined, bearer(ada.token))).body).toEqual({ marked: 0 });
    const bad = await http('GET', '/me/notifications?unread=maybe&limit=0', undefined, bearer(ada.token));
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'unread']);
    expect((await http('POST', '/me/notifications/nope/read', undefined, bearer(ada.token))).status).toBe(400);
  });

  it('carries a conversation between two users, and keeps everyone else out', async () => {
    const [ada, bob, eve] = [await registerAndLogin('ada'), await registerAndLogin('bob'), await registerAndLogin('eve')];
    const sent = await api(ada.token).POST('/messages', { body: { recipientId: bob.id, text: '  Lunch at noon?  ' } });
    expect({ status: sent.response.status, body: sent.data }).toMatchObject({
      status: 201,
      body: { seq: 1, senderId: ada.id, recipientId: bob.id, text: 'Lunch at noon?' },
    });
    const conversationId = sent.data!.conversationId;
    const mine = await http('GET', '/conversations', undefined, bearer(bob.token));
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        id: conversationId,
        otherUserId: ada.id,
        unread: 1,
        lastMessage: expect.objectContaining({ text: 'Lunch at noon?' }),
      }),
    ]);
    const reply = await http('POST', `/conversations/${conversationId}/messages`, { text: 'Yes!' }, bearer(bob.token));
    expect(reply).toMatchObject({ status: 201, body: { seq: 2, recipientId: ada.id } });
    const page = await http('GET', `/conversations/${conversationId}/messages?limit=1`, undefined, bearer(ada.token));
    expect(page.body.items.map((m: { text: string }) => m.text)).toEqual(['Yes!']);
    const older = await http('GET', `/conversations/${conversationId}/messages?limit=1&cursor=${page.body.nextCursor}`, undefined, bearer(ada.token));
    expect(older.body).toMatchObject({ items: [{ seq: 1 }], nextCursor: null });
    expect((await http('POST', `/conversations/${conversationId}/read`, undefined, bearer(ada.token))).body).toEqual({ marked: 1 });

    expect((await http('GET', `/conversations/${conversationId}/messages`, undefined, bearer(eve.token))).status).toBe(403);
    expect((await http('POST', `/conversations/${conversationId}/messages`, { text: 'hi both' }, bearer(eve.token))).status).toBe(403);
    expect((await http('POST', '/messages', { recipientId: '0193a3c4-0000-7000-8000-000000000000', text: 'hello?' }, bearer(ada.token))).status).toBe(
      404,
    );
    for (const body of [
      { recipientId: bob.id, text: '' },
      { recipientId: bob.id, text: 'x'.repeat(4001) },
      { recipientId: 'bob', text: 'hi' },
      { recipientId: bob.id, text: 'hi', priority: 'high' },
    ]) {
      const res = await http('POST', '/messages', body, bearer(ada.token));
      expect(res.status).toBe(400);
      expect(res.body.details.length).toBeGreaterThan(0);
    }
    expect((await http('GET', '/conversations/not-a-conversation/messages', undefined, bearer(ada.token))).status).toBe(400);
    expect((await http('GET', '/conversations', undefined, bearer(eve.token))).body.items).toEqual([]);
  });

  it('watches and unwatches products', async () => {
    const ada = await registerAndLogin('watcher');
    const missing = await http('PUT', '/me/watches/0193a3c4-0000-7000-8000-000000000000', undefined, bearer(ada.token));
    expect(missing.status).toBe(404);
    expect((await http('PUT', '/me/watches/lamp', undefined, bearer(ada.token))).status).toBe(400);
    expect((await http('GET', '/me/watches', undefined, bearer(ada.token))).body).toEqual({ items: [], nextCursor: null });
    expect((await http('DELETE', '/me/watches/0193a3c4-0000-7000-8000-000000000000', undefined, bearer(ada.token))).status).toBe(204);
  });
});

describe('gateway → orders (e2e)', () => {
  async function adminToken(tag = 'orders-admin') {
    const me = await registerAndLogin(tag);
    const env = { ...process.env, ...appEnv(s, keys).users };
    await promisify(execFile)(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', me.email], { env });
    return (await http('POST', '/auth/login', { email: me.email, password: 'password-123' })).body.accessToken as string;
  }
  const until = <T>(read: () => Promise<JsonResponse<T>>, check: (r: JsonResponse<T>) => boolean) =>
    pollUntil(read, check, { timeoutMs: 20_000, intervalMs: 250 });

  /** A product, a customer with money, and a completed checkout of 2 units at 2000 cents. */
  async function checkedOut(tag: string, admin: string) {
    const product = await http(
      'POST',
      '/products',
      {
        sku: `ORD-${tag}-${Date.now().toString(36)}`.toUpperCase(),
        name: 'Milk jug',
        brand: 'Potter',
        categories: ['kitchen'],
        priceCents: 2000,
        currency: 'EUR',
        stockOnHand: 5,
      },
      bearer(admin),
    );
    expect(product.status).toBe(201);
    const buyer = await registerAndLogin(tag);
    await api(buyer.token).POST('/users/me/wallet/credit', { params: { header: { 'Idempotency-Key': 'topup' } }, body: { amountCents: 5000 } });
    await api(buyer.token).POST('/cart/lines', { body: { productId: product.body.id, quantity: 2 } });
    const done = await http('POST', '/cart/checkout', {}, { ...bearer(buyer.token), 'idempotency-key': `${tag}-1` });
    expect(done).toMatchObject({ status: 201, body: { status: 'completed', totalCents: 4000 } });
    return { product: product.body as { id: string }, buyer, checkoutId: done.body.checkoutId as string };
  }

  it('lists the order after checkout (mine only), shows it, and takes one cancellation request: 202, then 409', async () => {
    const admin = await adminToken();
    const { buyer, checkoutId, product } = await checkedOut('orders-buyer', admin);
    const listed = await until(
      () => http('GET', '/orders', undefined, bearer(buyer.token)),
      (r) => r.body?.orders?.length === 1,
    );
    expect(listed.body).toMatchObject({ orders: [{ userId: buyer.id, status: 'placed', totalCents: 4000, itemCount: 2 }], nextCursor: null });
    const orderId = listed.body.orders[0].orderId as string;
    const { data: order } = await api(buyer.token).GET('/orders/{id}', { params: { path: { id: orderId } } });
    expect(order).toMatchObject({ checkoutId, lines: [{ productId: product.id, name: 'Milk jug', quantity: 2, unitPriceCents: 2000 }] });
    const stranger = await registerAndLogin('orders-stranger');
    expect((await http('GET', `/orders/${orderId}`, undefined, bearer(stranger.token))).status).toBe(404);
    expect((await http('GET', '/orders', undefined, bearer(stranger.token))).body.orders).toEqual([]);
    expect((await http('GET', '/orders/not-an-id', undefined, bearer(stranger.token))).status).toBe(400);
    expect((await http('POST', `/orders/${orderId}/cancel`, undefined, bearer(stranger.token))).status).toBe(404);

    const cancel = await http('POST', `/orders/${orderId}/cancel`, undefined, bearer(buyer.token));
    expect(cancel).toMatchObject({ status: 202, body: { status: 'cancelling', cancellation: { refund: 'pending', restock: 'pending' } } });
    const twice = await http('POST', `/orders/${orderId}/cancel`, undefined, bearer(buyer.token));
    expect(twice).toMatchObject({ status: 409, body: { error: 'CONFLICT', message: expect.stringMatching(/already/) } });

    // The admin list, both ways: the same customer from orders' read model and from users.
    const day = new Date().toISOString().slice(0, 10);
    expect((await http('GET', '/admin/orders', undefined, bearer(buyer.token))).status).toBe(403);
    expect((await http('GET', '/admin/orders?via=join', undefined, bearer(admin))).status).toBe(400);
    for (const via of ['read-model', 'composition']) {
      const page = await until(
        () => http('GET', `/admin/orders?from=${day}&to=${day}&limit=1000&via=${via}`, undefined, bearer(admin)),
        (r) => r.body?.orders?.some((o: { orderId: string; customer: unknown }) => o.orderId === orderId && o.customer !== null),
      );
      expect(page.body).toMatchObject({ via, degraded: [] });
      expect(page.body.orders.find((o: { orderId: string }) => o.orderId === orderId).customer).toEqual({ name: 'E2E User', email: buyer.email });
    }
  }, 90_000);

  it('places the order of a checkout completed while orders was killed, once orders is back', async () => {
    const admin = await adminToken('orders-admin-2');
    const orders = apps.children.get('orders')!;
    await new Promise<void>((resolve) => {
      orders.once('exit', () => resolve());
      orders.kill('SIGKILL');
    });
    const { buyer } = await checkedOut('orders-while-away', admin);
    expect((await http('GET', '/orders', undefined, bearer(buyer.token))).status).toBe(503);
    const restarted = await startApps(s, keys, { logDir: join(s.dataDir, 'logs'), apps: ['orders'], timeoutMs: 180_000 });
    apps.children.set('orders', restarted.children.get('orders')!);
    const listed = await until(
      () => http('GET', '/orders', undefined, bearer(buyer.token)),
      (r) => r.body?.orders?.length === 1,
    );
    expect(listed.body.orders[0]).toMatchObject({ status: 'placed', totalCents: 4000 });
  }, 240_000);

  // Needs the orders-reactions branch (users refunds, products restocks, messaging notifies on
  // OrderCancellationRequested / OrderCancelled): skipped until those reactions are in the code.
  (cancellationReactionsPresent() ? it : it.skip)(
    'cancels for real: money and stock come back, the user is notified, analytics counts the cancellation',
    async () => {
      const admin = await adminToken('orders-admin-3');
      const { buyer, product } = await checkedOut('orders-cancel', admin);
      expect((await http('GET', '/users/me/wallet', undefined, bearer(buyer.token))).body.balanceCents).toBe(1000);
      expect((await http('GET', `/products/${product.id}`)).body.stockAvailable).toBe(3);
      const listed = await until(
        () => http('GET', '/orders', undefined, bearer(buyer.token)),
        (r) => r.body?.orders?.length === 1,
      );
      const orderId = listed.body.orders[0].orderId as string;
      expect((await http('POST', `/orders/${orderId}/cancel`, undefined, bearer(buyer.token))).status).toBe(202);
      const done = await until(
        () => http('GET', `/orders/${orderId}`, undefined, bearer(buyer.token)),
        (r) => r.body?.status === 'cancelled',
      );
      expect(done.body).toMatchObject({ status: 'cancelled', cancellation: { refund: 'refunded', restock: 'returned' } });
      expect((await http('GET', '/users/me/wallet', undefined, bearer(buyer.token))).body.balanceCents).toBe(5000);
      expect((await http('GET', `/products/${product.id}`)).body.stockAvailable).toBe(5);
      const notified = await until(
        () => http('GET', '/me/notifications', undefined, bearer(buyer.token)),
        (r) => r.body?.items?.some((n: { data?: { orderId?: string } }) => n.data?.orderId === orderId),
      );
      expect(notified.status).toBe(200);
      const counted = await until(
        () => http('GET', '/analytics/me/activity?limit=50', undefined, bearer(buyer.token)),
        (r) => r.body?.items?.some((e: { type: string }) => e.type === 'OrderCancelled'),
      );
      expect(counted.body.items.map((e: { type: string }) => e.type)).toEqual(
        expect.arrayContaining(['OrderCancelled', 'OrderCancellationRequested']),
      );
    },
    60_000,
  );
});

/** Whether users and products react to OrderCancellationRequested in this checkout (the orders-reactions branch). */
function cancellationReactionsPresent(): boolean {
  const mentions = (dir: string, word: string): boolean =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith('.ts') && readFileSync(join(dir, f), 'utf8').includes(word));
  return ['apps/users/src', 'apps/products/src'].every((dir) => mentions(dir, 'OrderCancellationRequested'));
}

describe('GET /me/overview: composition with partial failure (e2e)', () => {
  // The gateway's default deadlines (GATEWAY_OVERVIEW_*_DEADLINE_MS): profile and wallet 1000 ms, cart,
  // notifications and orders 600 ms, activity 800 ms. The slowest bounds every answer; the slack is
  // for HTTP and a loaded machine, well below what asking the sections one after another would take.
  const SLOWEST_DEADLINE_MS = 1_000;
  const SLACK_MS = 500;
  const optionalSources = OPTIONAL_SECTIONS.map((section) => [SECTION_SOURCES[section], section] as const);

  /** SIGSTOP: the service's process hangs (it neither answers nor fails), the worst case for a deadline. */
  const stopped = async <T>(services: string[], during: () => Promise<T>): Promise<T> => {
    const pids = services.map((service) => apps.children.get(service)!.pid!);
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    try {
      return await during();
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
  };
  const timed = async (token: string) => {
    const started = performance.now();
    const res = await http('GET', '/me/overview', undefined, bearer(token));
    return { res, ms: performance.now() - started };
  };

  it('composes every section in parallel; a stopped service costs its section (or, for users, the answer) within the slowest deadline', async () => {
    const me = await registerAndLogin('overview');
    // orders answers OrdersRpc.listMine only once its order history is built: until then the section is degraded.
    const link = await NatsLink.open(opsNats('e2e-overview-probe'));
    const ordersAnswers = await new RpcClient(link, 2_000)
      .send(OrdersRpc.listMine, { userId: me.id, limit: 1 })
      .then(() => true)
      .catch(() => false);
    await link.close();
    const expectedDegraded = ordersAnswers ? [] : ['lastOrders'];

    const full = await pollUntil(
      () => http('GET', '/me/overview', undefined, bearer(me.token)),
      (r) => r.status === 200 && JSON.stringify(r.body.degraded) === JSON.stringify(expectedDegraded),
    );
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({
      profile: { id: me.id, email: me.email },
      wallet: { userId: me.id, balanceCents: 0 },
      cart: { lines: 0, units: 0, totalCents: 0 },
      degraded: expectedDegraded,
    });
    expect(typeof full.body.unreadNotifications).toBe('number');
    expect(Array.isArray(full.body.recentActivity)).toBe(true);
    if (ordersAnswers) expect(Array.isArray(full.body.lastOrders)).toBe(true);
    else expect(full.body.lastOrders).toBeNull();

    for (const [service, section] of optionalSources) {
      const { res, ms } = await stopped([service], () => timed(me.token));
      expect({ service, status: res.status, degraded: res.body.degraded, section: res.body[section] }).toEqual({
        service,
        status: 200,
        degraded: expect.arrayContaining([section]),
        section: null,
      });
      expect(res.body.profile.id).toBe(me.id);
      expect(ms).toBeLessThan(SLOWEST_DEADLINE_MS + SLACK_MS);
    }

    // Every optional service hanging at once: still one deadline, not their sum.
    const all = await stopped(
      optionalSources.map(([service]) => service),
      () => timed(me.token),
    );
    expect(all.res.status).toBe(200);
    expect([...all.res.body.degraded].sort()).toEqual([...OPTIONAL_SECTIONS].sort());
    expect(all.ms).toBeLessThan(SLOWEST_DEADLINE_MS + SLACK_MS);

    // users holds the required sections: 503 with Retry-After, as soon as its deadline passes.
    const required = await stopped([SECTION_SOURCES.profile], () => timed(me.token));
    expect(required.res.status).toBe(503);
    expect(required.res.headers.get('retry-after')).toBe('1');
    expect(required.res.body.message).toMatch(/overview cannot be shown without its (profile|wallet)/);
    expect(required.ms).toBeLessThan(SLOWEST_DEADLINE_MS + SLACK_MS);
  }, 60_000);
});

// Last: it stops the users service.
describe('usage per service (npm run usage)', () => {
  const ITEM_KIND = { postgres: 'rows', clickhouse: 'rows', opensearch: 'documents', mongodb: 'documents', redis: 'keys' } as const;
  const byApp = (rows: AppUsage[]) => new Map(rows.map((row) => [row.app, row]));

  it("reads each store's size, items and index bytes, each event stream, and the requests handled", async () => {
    const usage = byApp(await readUsage(s));
    for (const service of SERVICE_NAMES) {
      const row = usage.get(service)!;
      expect({ service, up: row.up, itemKind: row.itemKind }).toEqual({ service, up: true, itemKind: ITEM_KIND[APPS[service].store.kind] });
      expect(row.diskBytes).toBeGreaterThan(0);
      expect(row.items).toBeGreaterThanOrEqual(0);
      expect(row.indexBytes).toBeGreaterThanOrEqual(0);
      expect(row.uptimeSeconds).toBeGreaterThanOrEqual(0);
    }
    // Every producer's stream exists (each ensures its own at start); the tests above published users' events.
    for (const producer of EVENT_PRODUCERS)
      expect({ producer, streamBytes: typeof usage.get(producer)!.streamBytes }).toEqual({ producer, streamBytes: 'number' });
    expect(usage.get('users')!.streamMessages).toBeGreaterThan(0);
    expect(usage.get('users')!.streamBytes).toBeGreaterThan(0);
    expect(usage.get('gateway')!.requests).toBeGreaterThan(0);
    expect(usage.get('gateway')!.diskBytes).toBeNull();
  });

  it('moves with what a user does: requests, rows and stream messages', async () => {
    const before = byApp(await readUsage(s));
    const me = await registerAndLogin('usage');
    const grew = (after: Map<string, AppUsage>) => {
      const [now, then] = [after.get('users')!, before.get('users')!];
      return now.requests! - then.requests! >= 2 && now.streamMessages! - then.streamMessages! >= 1 && now.items! > then.items!;
    };
    // register and login: two requests users answered; UserRegistered on its stream; an account row
    // (live-row counts are PostgreSQL's statistics, which it updates within a second or so).
    const after = await pollUntil(async () => byApp(await readUsage(s)), grew, { timeoutMs: 15_000, intervalMs: 250 });
    const [users, usersBefore] = [after.get('users')!, before.get('users')!];
    expect(users.requests! - usersBefore.requests!).toBeGreaterThanOrEqual(2);
    expect(users.streamMessages! - usersBefore.streamMessages!).toBeGreaterThanOrEqual(1);
    expect(users.items!).toBeGreaterThan(usersBefore.items!);
    expect((await http('GET', '/cart', undefined, bearer(me.token))).status).toBe(200);
    const cartAfter = byApp(await readUsage(s)).get('cart')!;
    expect(cartAfter.requests!).toBeGreaterThan(before.get('cart')!.requests!);
  });

  it('prints the table from the command line', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/usage.ts'], { env: { ...process.env, POLYSTORE_STACK: 'test' } });
    for (const app of Object.keys(APPS)) expect(stdout).toMatch(new RegExp(`^${app}\\s`, 'm'));
    expect(stdout).toMatch(/on disk/);
    expect(stdout).not.toMatch(/not running/);
    console.log(`npm run usage on the test stack:\n${stdout}`);
  });
});

describe('a service going away (e2e)', () => {
  it('answers 503 quickly when the users service is down; the admin order list degrades by composition and still answers from the read model', async () => {
    const me = await registerAndLogin('down');
    const adminUser = await registerAndLogin('down-admin');
    await promisify(execFile)(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', adminUser.email], {
      env: { ...process.env, ...appEnv(s, keys).users },
    });
    const admin = (await http('POST', '/auth/login', { email: adminUser.email, password: 'password-123' })).body.accessToken as string;
    const users = apps.children.get('users')!;
    await new Promise<void>((resolve) => {
      users.once('exit', () => resolve());
      users.kill('SIGTERM');
    });
    const started = Date.now();
    const res = await http('GET', '/users/me', undefined, bearer(me.token));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body.message).toMatch(/users service/);
    expect(Date.now() - started).toBeLessThan(1_000);
    const health = await http('GET', '/health');
    expect(health.status).toBe(503);
    const composed = await http('GET', '/admin/orders?via=composition&limit=5', undefined, bearer(admin));
    expect(composed).toMatchObject({ status: 200, body: { via: 'composition', degraded: ['users'] } });
    expect(composed.body.orders.length).toBeGreaterThan(0);
    expect(composed.body.orders.every((o: { customer: unknown }) => o.customer === null)).toBe(true);
    const readModel = await http('GET', '/admin/orders?limit=5', undefined, bearer(admin));
    expect(readModel).toMatchObject({ status: 200, body: { via: 'read-model', degraded: [] } });
    expect(readModel.body.orders.some((o: { customer: unknown }) => o.customer !== null)).toBe(true);
  });
});
