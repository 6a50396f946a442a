import { readFileSync } from 'node:fs';
import { ConfigError, envInt, envOptional, envUrl } from '@polystore/platform';

export interface UsersConfig {
  databaseUrl: string;
  databasePoolSize: number;
  migrationsDir: string;
  jwtPrivateKey: string;
  jwtTtlSeconds: number;
  scryptN: number;
  outboxBatchSize: number;
  outboxPollMs: number;
}

/** Reads USERS_* variables; fails naming the variable when one is missing or invalid. */
export function loadUsersConfig(env: NodeJS.ProcessEnv = process.env): UsersConfig {
  return {
    databaseUrl: envUrl(
      'USERS_DATABASE_URL',
      'postgresql://users_svc:users_svc_dev_password@127.0.0.1:55432/users',
      ['postgres', 'postgresql'],
      env,
    ),
    databasePoolSize: envInt('USERS_DATABASE_POOL_SIZE', 10, { min: 1, max: 200 }, env),
    migrationsDir: envOptional('USERS_MIGRATIONS_DIR', env) ?? `${process.cwd()}/prisma/users/migrations`,
    jwtPrivateKey: readKey(env),
    jwtTtlSeconds: envInt('USERS_JWT_TTL_SECONDS', 3600, { min: 30, max: 30 * 24 * 3600 }, env),
    scryptN: envInt('USERS_SCRYPT_N', 2 ** 15, { min: 2 ** 14, max: 2 ** 20 }, env),
    outboxBatchSize: envInt('USERS_OUTBOX_BATCH_SIZE', 200, { min: 1, max: 5000 }, env),
    outboxPollMs: envInt('USERS_OUTBOX_POLL_MS', 1000, { min: 50, max: 60_000 }, env),
  };
}

/** The ES256 private key that signs access tokens: inline PEM, or a file path. */
function readKey(env: NodeJS.ProcessEnv): string {
  const inline = envOptional('USERS_JWT_PRIVATE_KEY', env);
  if (inline) return inline.replace(/\\n/g, '\n');
  const file = envOptional('USERS_JWT_PRIVATE_KEY_FILE', env);
  if (!file) throw new ConfigError('USERS_JWT_PRIVATE_KEY_FILE', 'is required (or USERS_JWT_PRIVATE_KEY with the PEM itself)');
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('USERS_JWT_PRIVATE_KEY_FILE', `cannot be read: ${(error as Error).message}`);
  }
}

export const USERS_CONFIG = Symbol('USERS_CONFIG');
