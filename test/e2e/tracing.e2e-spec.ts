import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { APPS, APP_NAMES, SERVICE_NAMES } from '@polystore/manifest';
import { startApps } from '../../scripts/lib/apps.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../scripts/lib/otlp-receiver.ts';
import { appEnv, stack } from '../../scripts/lib/stack.ts';
import { renderTraceTree } from '../../scripts/lib/trace-tree.ts';
import { jwtKeyFiles } from '../support/credentials.js';
import { eventually } from '../support/eventually.js';
import { bearer, gatewayHttp } from '../support/http.js';

/**
 * One checkout through the gateway, every app a process of its own exporting its spans over
 * OTLP (http/json) to a receiver in this test: the checkout is one trace across gateway, cart,
 * products, users, messaging and analytics, with the kinds and parent/link structure of
 * OpenTelemetry's conventions, and store spans of each service's driver.
 */
const s = stack('test');
const base = `http://127.0.0.1:${s.ports.gateway}`;
const keys = jwtKeyFiles();
const logDir = join(s.dataDir, 'logs', 'tracing');
let receiver: OtlpReceiver;
let apps: { stop: () => Promise<void> };

const http = gatewayHttp(base);

async function registerAndLogin(tag: string): Promise<{ id: string; email: string; token: string }> {
  const email = `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
  // Just after the start, on a loaded machine, a first request may time out (504) while its work
  // completes: try again, and a 409 then means the first one did register.
  let reg = await http('POST', '/auth/register', { email, name: 'Trace User', password: 'password-123' });
  for (let attempt = 1; reg.status >= 503 && attempt < 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    reg = await http('POST', '/auth/register', { email, name: 'Trace User', password: 'password-123' });
  }
  expect([201, 409]).toContain(reg.status);
  const login = await http('POST', '/auth/login', { email, password: 'password-123' });
  expect(login.status).toBe(200);
  return { id: login.body.user?.id ?? reg.body.id, email, token: login.body.accessToken };
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  apps = await startApps(s, keys, {
    logDir,
    // Loading the SDK and its instrumentations adds to each app's start; the shared CI machine is slow at times.
    timeoutMs: 180_000,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
  });
}, 200_000);
afterAll(async () => {
  await apps?.stop();
  await receiver?.close();
});

const inTrace = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);
const byId = (spans: ReceivedSpan[]) => new Map(spans.map((span) => [span.spanId, span]));

describe('tracing (e2e)', () => {
  it('traces one checkout across every service, events included, as one trace', async () => {
    const admin = await registerAndLogin('trace-admin');
    await promisify(execFile)(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', admin.email], {
      env: { ...process.env, ...appEnv(s, keys).users },
    });
    const adminToken = (await http('POST', '/auth/login', { email: admin.email, password: 'password-123' })).body.accessToken;
    const product = await http(
      'POST',
      '/products',
      {
        sku: `TR-${Date.now().toString(36)}`.toUpperCase(),
        name: 'Lamp',
        brand: 'Trace',
        categories: ['home'],
        priceCents: 1500,
        currency: 'EUR',
        stockOnHand: 3,
      },
      bearer(adminToken),
    );
    expect(product.status).toBe(201);
    const buyer = await registerAndLogin('trace-buyer');
    await http('POST', '/users/me/wallet/credit', { amountCents: 5000 }, { ...bearer(buyer.token), 'idempotency-key': 'trace-topup' });
    await http('POST', '/cart/lines', { productId: product.body.id, quantity: 2 }, bearer(buyer.token));

    const checkout = await http('POST', '/cart/checkout', { expectedTotalCents: 3000 }, { ...bearer(buyer.token), 'idempotency-key': 'trace-order' });
    // 201 when the saga finished within the gateway's wait, 202 while it goes on (a loaded machine); its spans come either way.
    expect([201, 202]).toContain(checkout.status);
    const requestId = checkout.headers.get('x-request-id');
    expect(requestId).toBeTruthy();

    // The gateway's span of this request names the route template and the caller, never the token.
    const root = await eventually(
      async () => receiver.spans.find((span) => span.kind === 'SERVER' && span.attributes['polystore.request_id'] === requestId),
      (span) => span !== undefined,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(root).toMatchObject({
      service: 'gateway',
      name: 'POST /cart/checkout',
      attributes: expect.objectContaining({ 'http.route': '/cart/checkout', 'http.response.status_code': checkout.status, 'enduser.id': buyer.id }),
    });
    expect(root!.parentSpanId).toBeUndefined();
    expect(JSON.stringify(receiver.spans.map((span) => span.attributes))).not.toContain(buyer.token);
    const traceId = root!.traceId;

    // The gateway's log line of the request: JSON with the service, the request id and the trace id.
    // It reaches the file through the app's stdout pipe and the harness: under load, after the span.
    const gatewayLine = await eventually(
      async () =>
        readFileSync(join(logDir, 'gateway.log'), 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((line) => line.request_id === requestId),
      (line) => line !== undefined,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(gatewayLine).toMatchObject({
      service: 'gateway',
      trace_id: traceId,
      msg: expect.stringMatching(/^POST \/cart\/checkout 20[12] /),
    });

    // The receipt in messaging and the rows in analytics come later, by events: wait for their spans.
    const completedConsumers = () =>
      new Set(
        inTrace(traceId)
          .filter((span) => span.kind === 'CONSUMER' && span.name === 'process events.cart.CheckoutCompleted.v1')
          .map((span) => span.service),
      );
    await eventually(
      async () => completedConsumers(),
      (consumers) => consumers.has('messaging') && consumers.has('analytics'),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    // And every app's spans (orders reads the checkout's events too, and may come last).
    await eventually(
      async () => new Set(inTrace(traceId).map((span) => span.service)),
      (services) => APP_NAMES.every((app) => services.has(app)),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const spans = inTrace(traceId);
    // The checkout's span tree beside the apps' logs, as `npm run trace` prints it: what a reader
    // of a failure here looks at first.
    const linkedIn = receiver.spans.filter((span) => span.traceId !== traceId && span.links.some((link) => link.traceId === traceId));
    writeFileSync(join(logDir, 'checkout-trace.txt'), `${renderTraceTree(spans, linkedIn)}\n`);
    const spanById = byId(spans);
    // Every app: the gateway, cart and those it calls, and cart's event consumers (every app here).
    expect([...new Set(spans.map((span) => span.service))].sort()).toEqual([...APP_NAMES].sort());

    // Every span but the root has its parent in the trace: one tree.
    for (const span of spans) if (span !== root) expect(spanById.has(span.parentSpanId!)).toBe(true);

    // Request/reply: a CLIENT span in the caller, the callee's SERVER span its child, with messaging attributes.
    const calls = spans.filter((span) => span.kind === 'CLIENT' && span.attributes['messaging.system'] === 'nats');
    expect(calls.find((span) => span.service === 'gateway')).toMatchObject({ name: 'send cart.checkout.v1', parentSpanId: expect.any(String) });
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (const call of calls) {
      const served = spans.filter((span) => span.parentSpanId === call.spanId && span.kind === 'SERVER');
      expect(served).toHaveLength(1);
      expect(served[0]).toMatchObject({
        name: `process ${call.attributes['messaging.destination.name']}`,
        attributes: expect.objectContaining({ 'messaging.system': 'nats', 'messaging.operation.type': 'process' }),
      });
      expect(served[0]!.service).toBe(String(call.attributes['messaging.destination.name']).split('.')[0]);
    }
    // cart calls products and users during the saga.
    const cartCalls = calls
      .filter((span) => span.service === 'cart')
      .map((span) => String(span.attributes['messaging.destination.name']).split('.')[0]);
    expect(new Set(cartCalls)).toEqual(new Set(APPS.cart.calls));

    // The framework's spans: the handler by name, the validation of its DTO, the guard.
    expect(spans.some((span) => span.service === 'gateway' && span.name === 'guard JwtAuthGuard' && span.parentSpanId === root!.spanId)).toBe(true);
    const gatewayHandler = spans.find(
      (span) => span.service === 'gateway' && span.parentSpanId === root!.spanId && /Controller\.checkout$/.test(span.name),
    );
    expect(gatewayHandler).toBeDefined();
    expect(spans.some((span) => span.parentSpanId === gatewayHandler!.spanId && span.name.startsWith('validate '))).toBe(true);
    const cartServer = spans.find((span) => span.service === 'cart' && span.kind === 'SERVER')!;
    expect(spans.some((span) => span.parentSpanId === cartServer.spanId && /\.\w+$/.test(span.name) && span.attributes['code.function.name'])).toBe(
      true,
    );

    // Events: a PRODUCER `create` span where the change was written, its consumers' CONSUMER spans its children,
    // and the relay's PRODUCER `send` span (a trace of its own) linked to it.
    const completed = spans.find((span) => span.kind === 'PRODUCER' && span.name === 'create events.cart.CheckoutCompleted.v1');
    expect(completed).toMatchObject({
      service: 'cart',
      attributes: expect.objectContaining({ 'messaging.system': 'nats', 'messaging.operation.type': 'create' }),
    });
    const consumers = spans.filter((span) => span.kind === 'CONSUMER' && span.parentSpanId === completed!.spanId);
    // users reads cart's stream for its erasure answers (UserErased.v1) only.
    expect(new Set(consumers.map((span) => span.service))).toEqual(
      new Set(APP_NAMES.filter((app) => app !== 'users' && (APPS[app].consumes as readonly string[]).includes('cart'))),
    );
    for (const consumer of consumers) expect(consumer.name).toBe('process events.cart.CheckoutCompleted.v1');
    const sent = await eventually(
      async () =>
        receiver.spans.find(
          (span) => span.kind === 'PRODUCER' && span.name.startsWith('send ') && span.links.some((l) => l.spanId === completed!.spanId),
        ),
      (span) => span !== undefined,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(sent).toMatchObject({ service: 'cart', name: 'send events.cart.CheckoutCompleted.v1' });

    // analytics stores events in batches: the batch's span links to the message's CONSUMER span, and holds the store's spans.
    const analyticsMessage = consumers.find((span) => span.service === 'analytics')!;
    const batch = await eventually(
      async () =>
        receiver.spans.find(
          (span) =>
            span.service === 'analytics' && span.name.startsWith('process batch ') && span.links.some((l) => l.spanId === analyticsMessage.spanId),
        ),
      (span) => span !== undefined,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(receiver.spans.some((span) => span.parentSpanId === batch!.spanId && span.attributes['db.system.name'] === 'clickhouse')).toBe(true);

    // Store spans from each store-owning service's driver, with statements sanitised.
    const dbSpans = (service: string) =>
      spans.filter((span) => span.service === service && (span.attributes['db.system.name'] ?? span.attributes['db.system']));
    // (analytics' are in its batch's trace, above.)
    for (const service of SERVICE_NAMES.filter((svc) => svc !== 'analytics')) expect(dbSpans(service).length).toBeGreaterThan(0);
    // users' Prisma calls: the ORM's operation span, its statement's db_query span its child; one
    // span per statement (no pg driver span repeating it, no serialize span: register.ts).
    const usersSpans = spans.filter((span) => span.service === 'users');
    const operations = usersSpans.filter((span) => span.name === 'prisma:client:operation');
    expect(operations.length).toBeGreaterThan(0);
    const queries = usersSpans.filter((span) => span.name === 'prisma:client:db_query');
    expect(queries.some((span) => span.kind === 'CLIENT' && operations.some((op) => op.spanId === span.parentSpanId))).toBe(true);
    for (const query of queries) expect(query.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.query.text': expect.any(String) });
    expect(usersSpans.filter((span) => span.name.startsWith('pg.') || span.name === 'prisma:client:serialize').map((span) => span.name)).toEqual([]);
    // Sanitised: no value the checkout wrote (the product's name went into Redis and OpenSearch, the receipt into MongoDB).
    const statements = spans.map((span) => String(span.attributes['db.query.text'] ?? span.attributes['db.statement'] ?? '')).join('\n');
    expect(statements).toMatch(/evalsha \w+ \d/);
    expect(statements).not.toContain('Lamp');
    expect(statements).not.toContain('3000');
  }, 60_000);
});
