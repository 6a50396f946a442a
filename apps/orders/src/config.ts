import { APPS } from '@polystore/manifest';
import { envInt, envOptional, envUrl } from '@polystore/platform';

export interface OrdersConfig {
  /** postgresql://orders_svc:…@host:port/orders — orders's own role, owner of its own database only. */
  databaseUrl: string;
  databasePoolSize: number;
  migrationsDir: string;
}

/** Reads ORDERS_* variables; fails naming the variable when one is missing or invalid. */
export function loadOrdersConfig(env: NodeJS.ProcessEnv = process.env): OrdersConfig {
  return {
    databaseUrl: envUrl(
      'ORDERS_DATABASE_URL',
      `postgresql://orders_svc:orders_svc_dev_password@127.0.0.1:${APPS.orders.store.port.dev}/orders`,
      ['postgresql', 'postgres'],
      env,
    ),
    databasePoolSize: envInt('ORDERS_DATABASE_POOL_SIZE', 10, { min: 1, max: 100 }, env),
    migrationsDir: envOptional('ORDERS_MIGRATIONS_DIR', env) ?? './prisma/orders/migrations',
  };
}

export const ORDERS_CONFIG = Symbol('ORDERS_CONFIG');
