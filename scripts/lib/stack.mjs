// Names, ports and credentials of one polystore stack. `dev` is what `npm start` runs;
// `test` is a separate stack (own ports and data) so `npm test` never touches dev data.
import { join } from 'node:path';
import { ROOT } from './proc.mjs';

const PORTS = {
  dev: { postgres: 55432, nats: 54222, natsMonitor: 58222, gateway: 3000, users: 3101, products: 3102, cart: 3103, analytics: 3104, messaging: 3105 },
  test: { postgres: 55433, nats: 54223, natsMonitor: 58223, gateway: 3900, users: 3911, products: 3912, cart: 3913, analytics: 3914, messaging: 3915 },
};

export const APPS = ['users', 'products', 'cart', 'analytics', 'messaging', 'gateway'];

/** Development credentials: each service has its own; none is a secret outside this machine. */
export const CREDENTIALS = {
  postgresAdmin: { user: 'postgres', password: 'postgres_admin_dev_password' },
  users: { user: 'users_svc', password: 'users_svc_dev_password', database: 'users' },
};

export function stack(name = 'dev') {
  if (!PORTS[name]) throw new Error(`unknown stack "${name}" (dev or test)`);
  const ports = PORTS[name];
  const dataDir = process.env.POLYSTORE_DATA_DIR ?? join(ROOT, '.data', name);
  return { name, ports, dataDir };
}

/** The environment each app is started with: only its own store's URL, plus NATS. */
export function appEnv(s, keys) {
  const u = CREDENTIALS.users;
  const common = { NATS_URL: `nats://127.0.0.1:${s.ports.nats}` };
  return {
    users: {
      ...common,
      USERS_DATABASE_URL: `postgresql://${u.user}:${u.password}@127.0.0.1:${s.ports.postgres}/${u.database}`,
      USERS_JWT_PRIVATE_KEY_FILE: keys.privateKeyFile,
      USERS_HTTP_PORT: String(s.ports.users),
    },
    products: { ...common, PRODUCTS_HTTP_PORT: String(s.ports.products) },
    cart: { ...common, CART_HTTP_PORT: String(s.ports.cart) },
    analytics: { ...common, ANALYTICS_HTTP_PORT: String(s.ports.analytics), ANALYTICS_DATA_DIR: join(s.dataDir, 'analytics') },
    messaging: { ...common, MESSAGING_HTTP_PORT: String(s.ports.messaging) },
    gateway: {
      ...common,
      GATEWAY_PORT: String(s.ports.gateway),
      GATEWAY_JWT_PUBLIC_KEY_FILE: keys.publicKeyFile,
    },
  };
}

export function healthUrl(s, app) {
  return `http://127.0.0.1:${s.ports[app]}/health`;
}
