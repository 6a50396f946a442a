import { envInt, envOptional, envUrl } from '@polystore/platform';

export interface OrdersConfig {
  /** postgresql://orders_svc:…@host:port/orders — orders' own role, owner of its own database only. */
  databaseUrl: string;
  databasePoolSize: number;
  migrationsDir: string;
  /** How long after it was placed an order may still be cancelled. */
  cancelWindowSeconds: number;
  outboxBatchSize: number;
  outboxPollMs: number;
}

/** Reads ORDERS_* variables; fails naming the variable when one is missing or invalid. */
export function loadOrdersConfig(env: NodeJS.ProcessEnv = process.env): OrdersConfig {
  return {
    // Required: it carries the service's password (generated per stack, given by npm start/test).
    databaseUrl: envUrl('ORDERS_DATABASE_URL', undefined, ['postgresql', 'postgres'], env),
    databasePoolSize: envInt('ORDERS_DATABASE_POOL_SIZE', 10, { min: 1, max: 100 }, env),
    migrationsDir: envOptional('ORDERS_MIGRATIONS_DIR', env) ?? './prisma/orders/migrations',
    // 24 hours by default.
    cancelWindowSeconds: envInt('ORDERS_CANCEL_WINDOW_SECONDS', 86_400, { min: 1, max: 365 * 86_400 }, env),
    outboxBatchSize: envInt('ORDERS_OUTBOX_BATCH_SIZE', 200, { min: 1, max: 5000 }, env),
    outboxPollMs: envInt('ORDERS_OUTBOX_POLL_MS', 1000, { min: 50, max: 60_000 }, env),
  };
}

export const ORDERS_CONFIG = Symbol('ORDERS_CONFIG');
