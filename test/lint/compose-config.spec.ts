import { readFileSync } from 'node:fs';
// @ts-expect-error plain JS provisioning helpers
import { natsAuthorizationBlock } from '../../scripts/lib/nats-auth.mjs';
// @ts-expect-error plain JS provisioning helpers
import { redisAclLines } from '../../scripts/lib/infra.mjs';
// @ts-expect-error plain JS provisioning helpers
import { CREDENTIALS } from '../../scripts/lib/stack.mjs';

/** docker-compose and the local stack must hand out the same users and permissions. */
describe('docker-compose configuration matches the local provisioning', () => {
  const compose = readFileSync('docker-compose.yml', 'utf8');

  it('NATS users and permissions', () => {
    expect(readFileSync('docker/nats/auth.conf', 'utf8')).toBe(natsAuthorizationBlock());
  });

  it('Redis ACL users', () => {
    expect(readFileSync('docker/redis/redis.conf', 'utf8').endsWith(redisAclLines())).toBe(true);
  });

  it('each app gets only its own store, with its own credentials', () => {
    const { users, cart, messaging } = CREDENTIALS;
    expect(compose).toContain(`USERS_DATABASE_URL: postgresql://${users.user}:${users.password}@postgres:5432/${users.database}`);
    expect(compose).toContain(`CART_REDIS_URL: redis://${cart.user}:${cart.password}@redis:6379/0`);
    expect(compose).toContain(`MESSAGING_MONGODB_URL: mongodb://${messaging.user}:${messaging.password}@mongo:27017/`);
    for (const app of ['users', 'products', 'cart', 'analytics', 'messaging', 'gateway']) {
      const { user, password } = CREDENTIALS.nats[app];
      expect(compose).toContain(`${app.toUpperCase()}_NATS_USER: ${user}`);
      expect(compose).toContain(`${app.toUpperCase()}_NATS_PASSWORD: ${password}`);
    }
    const storeVars = ['USERS_DATABASE_URL', 'PRODUCTS_OPENSEARCH_URL', 'CART_REDIS_URL', 'ANALYTICS_CLICKHOUSE_URL', 'MESSAGING_MONGODB_URL'];
    for (const v of storeVars) expect(compose.split(`${v}:`).length - 1).toBe(1);
  });
});
