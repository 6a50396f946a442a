import { createPrivateKey } from 'node:crypto';
import { envInt, envOptional, envPem, envUrl } from '@polystore/platform';

/** What reaching the users database needs (the operator commands need only this). */
export interface UsersStoreConfig {
  databaseUrl: string;
  databasePoolSize: number;
  migrationsDir: string;
}

export interface UsersConfig extends UsersStoreConfig {
  jwtPrivateKey: string;
  jwtTtlSeconds: number;
  scryptN: number;
  outboxBatchSize: number;
  outboxPollMs: number;
  /** How long users waits for a service's UserErased.v1 before publishing the request to it again. */
  erasureDeadlineMs: number;
  /** How often users looks for overdue erasure steps. */
  erasureCheckMs: number;
}

/** Reads USERS_* variables; fails naming the variable when one is missing or invalid. */
export function loadUsersConfig(env: NodeJS.ProcessEnv = process.env): UsersConfig {
  return {
    ...loadUsersStoreConfig(env),
    // The ES256 private key that signs access tokens.
    jwtPrivateKey: envPem('USERS_JWT_PRIVATE_KEY', env, (pem) => createPrivateKey(pem)),
    jwtTtlSeconds: envInt('USERS_JWT_TTL_SECONDS', 3600, { min: 30, max: 30 * 24 * 3600 }, env),
    scryptN: envInt('USERS_SCRYPT_N', 2 ** 15, { min: 2 ** 14, max: 2 ** 20 }, env),
    outboxBatchSize: envInt('USERS_OUTBOX_BATCH_SIZE', 200, { min: 1, max: 5000 }, env),
    outboxPollMs: envInt('USERS_OUTBOX_POLL_MS', 1000, { min: 50, max: 60_000 }, env),
    erasureDeadlineMs: envInt('USERS_ERASURE_DEADLINE_MS', 5 * 60_000, { min: 500, max: 7 * 24 * 3600_000 }, env),
    erasureCheckMs: envInt('USERS_ERASURE_CHECK_MS', 5_000, { min: 100, max: 3600_000 }, env),
  };
}

export function loadUsersStoreConfig(env: NodeJS.ProcessEnv = process.env): UsersStoreConfig {
  return {
    // Required: it carries the service's password (generated per stack, given by npm start/test).
    databaseUrl: envUrl('USERS_DATABASE_URL', undefined, ['postgres', 'postgresql'], env),
    databasePoolSize: envInt('USERS_DATABASE_POOL_SIZE', 10, { min: 1, max: 200 }, env),
    migrationsDir: envOptional('USERS_MIGRATIONS_DIR', env) ?? `${process.cwd()}/prisma/users/migrations`,
  };
}

export const USERS_CONFIG = Symbol('USERS_CONFIG');
