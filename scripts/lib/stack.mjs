// Names, ports and credentials of one polystore stack. `dev` is what `npm start` runs;
// `test` is a separate stack (own ports and data) so `npm test` never touches dev data.
import { join } from 'node:path';
import { ROOT } from './proc.mjs';

const PORTS = {
  dev: {
    postgres: 55432, redis: 56379, opensearch: 59200, mongo: 57017, ferretdbPostgres: 57432, nats: 54222, natsMonitor: 58222,
    gateway: 3000, users: 3101, products: 3102, cart: 3103, analytics: 3104, messaging: 3105,
  },
  test: {
    postgres: 55433, redis: 56380, opensearch: 59210, mongo: 57018, ferretdbPostgres: 57433, nats: 54223, natsMonitor: 58223,
    gateway: 3900, users: 3911, products: 3912, cart: 3913, analytics: 3914, messaging: 3915,
  },
};

export const APPS = ['users', 'products', 'cart', 'analytics', 'messaging', 'gateway'];
export const SERVICES = ['users', 'products', 'cart', 'analytics', 'messaging'];

/**
 * Development credentials: each service has its own, valid only on its own store (and its own
 * NATS user). They are for this machine only; docker-compose.yml uses the same ones.
 */
export const CREDENTIALS = {
  postgresAdmin: { user: 'postgres', password: 'postgres_admin_dev_password' },
  redisAdmin: { user: 'polystore_admin', password: 'redis_admin_dev_password' },
  users: { user: 'users_svc', password: 'users_svc_dev_password', database: 'users' },
  cart: { user: 'cart_svc', password: 'cart_svc_dev_password', keyPrefix: 'cart:' },
  messaging: { user: 'messaging_svc', password: 'messaging_svc_dev_password', database: 'messaging' },
  mongoAdmin: { user: 'polystore_root', password: 'mongo_root_dev_password' },
  /** FerretDB's own login to the PostgreSQL cluster it keeps messaging's documents in (no app has it). */
  ferretdbBackend: { user: 'ferretdb', password: 'ferretdb_backend_dev_password', database: 'ferretdb' },
  /** NATS: one user per app, plus `ops` for operator tooling (tests, benchmarks, resets). */
  nats: Object.fromEntries([...APPS, 'ops'].map((app) => [app, { user: `${app}_nats`, password: `${app}_nats_dev_password` }])),
};

export function stack(name = 'dev') {
  if (!PORTS[name]) throw new Error(`unknown stack "${name}" (dev or test)`);
  // POLYSTORE_PORT_OFFSET shifts every port, so a second checkout (another worktree) can run its
  // own stack beside this one; its data lives in its own .data anyway.
  const offset = Number(process.env.POLYSTORE_PORT_OFFSET ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 5000) throw new Error(`POLYSTORE_PORT_OFFSET must be an integer 0..5000, got "${process.env.POLYSTORE_PORT_OFFSET}"`);
  const ports = Object.fromEntries(Object.entries(PORTS[name]).map(([k, v]) => [k, v + offset]));
  const dataDir = process.env.POLYSTORE_DATA_DIR ?? join(ROOT, '.data', name);
  return { name, ports, dataDir };
}

export const natsUrl = (s) => `nats://127.0.0.1:${s.ports.nats}`;

/**
 * The environment each app is started with: only its own store's URL, plus NATS and its own NATS
 * user. `clickhouseServer`: the stores came from docker-compose, which runs a ClickHouse server.
 */
export function appEnv(s, keys, { clickhouseServer = false } = {}) {
  const nats = (app) => ({
    NATS_URL: natsUrl(s),
    [`${app.toUpperCase()}_NATS_USER`]: CREDENTIALS.nats[app].user,
    [`${app.toUpperCase()}_NATS_PASSWORD`]: CREDENTIALS.nats[app].password,
    [`${app.toUpperCase()}_HTTP_PORT`]: String(s.ports[app]),
  });
  const { users, cart, messaging } = CREDENTIALS;
  return {
    users: {
      ...nats('users'),
      USERS_DATABASE_URL: `postgresql://${users.user}:${users.password}@127.0.0.1:${s.ports.postgres}/${users.database}`,
      USERS_JWT_PRIVATE_KEY_FILE: keys.privateKeyFile,
    },
    products: { ...nats('products'), PRODUCTS_OPENSEARCH_URL: `http://127.0.0.1:${s.ports.opensearch}` },
    cart: { ...nats('cart'), CART_REDIS_URL: `redis://${cart.user}:${cart.password}@127.0.0.1:${s.ports.redis}/0` },
    analytics: clickhouseServer
      ? {
          ...nats('analytics'),
          ANALYTICS_CLICKHOUSE_URL: 'http://127.0.0.1:58123',
          ANALYTICS_CLICKHOUSE_USER: 'analytics_svc',
          ANALYTICS_CLICKHOUSE_PASSWORD: 'analytics_svc_dev_password',
        }
      : // No ANALYTICS_CLICKHOUSE_URL: ClickHouse runs in-process (chdb) with its data here.
        { ...nats('analytics'), ANALYTICS_DATA_DIR: join(s.dataDir, 'analytics') },
    messaging: {
      ...nats('messaging'),
      MESSAGING_MONGODB_URL: `mongodb://${messaging.user}:${messaging.password}@127.0.0.1:${s.ports.mongo}/${messaging.database}?authSource=${messaging.database}`,
    },
    gateway: {
      ...nats('gateway'),
      GATEWAY_PORT: String(s.ports.gateway),
      GATEWAY_JWT_PUBLIC_KEY_FILE: keys.publicKeyFile,
    },
  };
}

/** Operator (tooling) access to NATS: tests, benchmarks, resets. */
export function opsNatsOptions(s) {
  return { servers: natsUrl(s), user: CREDENTIALS.nats.ops.user, pass: CREDENTIALS.nats.ops.password };
}

export function healthUrl(s, app) {
  return `http://127.0.0.1:${s.ports[app]}/health`;
}
