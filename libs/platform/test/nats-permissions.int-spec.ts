import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { newEvent } from '../src/events/event-factory.js';
import { ensureEventStream } from '../src/events/streams.js';

/**
 * Each app's NATS user may do its own job and nothing else: serve its own subjects, publish its
 * own events, call the services it depends on; the gateway sends requests and publishes only its
 * own few events (EVENTS_GATEWAY).
 */
const creds = (app: string) => ({
  user: process.env[`${app.toUpperCase()}_NATS_USER`]!,
  pass: process.env[`${app.toUpperCase()}_NATS_PASSWORD`]!,
  inboxPrefix: `_INBOX_${app}`,
});

async function as(app: string): Promise<NatsConnection> {
  return connect({ servers: process.env.NATS_URL!, name: `perm-test-${app}`, ...creds(app) });
}

/** Resolves with the permission errors the server reported on this connection within `ms`. */
function permissionErrors(nc: NatsConnection, ms = 400): Promise<string[]> {
  const seen: string[] = [];
  return new Promise((resolve) => {
    void (async () => {
      for await (const s of nc.status()) if (s.type === 'error') seen.push(String((s as { error?: Error }).error?.message ?? s));
    })();
    setTimeout(() => resolve(seen), ms);
  });
}

describe('NATS permissions per app (integration)', () => {
  const open: NatsConnection[] = [];
  const conn = async (app: string) => {
    const nc = await as(app);
    open.push(nc);
    return nc;
  };
  afterAll(async () => {
    await Promise.all(open.map((nc) => nc.close()));
  });

  it('refuses a connection without credentials or with another app’s password', async () => {
    await expect(connect({ servers: process.env.NATS_URL!, reconnect: false })).rejects.toThrow(/Authorization|auth/i);
    await expect(connect({ servers: process.env.NATS_URL!, user: creds('cart').user, pass: creds('users').pass, reconnect: false })).rejects.toThrow(
      /Authorization|auth/i,
    );
  });

  it('lets a service serve its own subjects but not another service’s', async () => {
    const cart = await conn('cart');
    const errors = permissionErrors(cart);
    const own = cart.subscribe('cart.get-cart.v1', { queue: 'cart' });
    const foreign = cart.subscribe('users.register.v1', { queue: 'users' });
    expect((await errors).join(' ')).toMatch(/Permissions Violation for Subscription to "users\.register\.v1"/);
    expect((await errors).join(' ')).not.toMatch(/cart\.get-cart/);
    own.unsubscribe();
    void foreign;
  });

  it('lets a service publish its own events but not another service’s', async () => {
    const cart = await conn('cart');
    const js = jetstream(cart, { timeout: 1_000 });
    await expect(js.publish('events.users.UserRegistered.v1', '{}')).rejects.toThrow(/Permissions Violation|timeout|no responders/i);
    const users = await conn('users');
    await ensureEventStream(users, 'users');
    const probe = newEvent('users', { type: 'PermissionProbe', version: 1 }, {});
    const ack = await jetstream(users).publish('events.users.PermissionProbe.v1', JSON.stringify(probe), { msgID: probe.id });
    expect(ack.stream).toBe('EVENTS_USERS');
  });

  it('lets the gateway send requests and publish its own events, but neither serve subjects nor publish a service’s events', async () => {
    const gateway = await conn('gateway');
    const errors = permissionErrors(gateway);
    gateway.subscribe('users.get-profile.v1');
    gateway.publish('events.users.UserRegistered.v1', '{}');
    const text = (await errors).join(' ');
    expect(text).toMatch(/Subscription to "users\.get-profile\.v1"/);
    expect(text).toMatch(/Publish to "events\.users\.UserRegistered\.v1"/);
    // Its requests do reach a service, and the service may answer on the gateway's inbox.
    const users = await conn('users');
    users.subscribe('users.permission-probe.v1', {
      callback: (_e, m) => {
        m.respond('pong');
      },
    });
    await users.flush();
    const reply = await gateway.request('users.permission-probe.v1', '', { timeout: 3_000 });
    expect(reply.string()).toBe('pong');
    // Its own stream (ProductViewed) it may create and publish to.
    await ensureEventStream(gateway, 'gateway');
    const viewed = newEvent('gateway', { type: 'PermissionProbe', version: 1 }, {});
    const ack = await jetstream(gateway).publish('events.gateway.PermissionProbe.v1', JSON.stringify(viewed), { msgID: viewed.id });
    expect(ack.stream).toBe('EVENTS_GATEWAY');
  });

  it('keeps replies private: an app cannot listen on another app’s inbox', async () => {
    const cart = await conn('cart');
    const errors = permissionErrors(cart);
    cart.subscribe('_INBOX_gateway.>');
    expect((await errors).join(' ')).toMatch(/Subscription to "_INBOX_gateway\.>"/);
  });
});
