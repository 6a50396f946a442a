import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../../../../generated/users/client.js';

export { Prisma, PrismaClient };
export type Tx = Prisma.TransactionClient;

/** The users database through Prisma's pg driver adapter (the only connection to it). */
export function createPrismaClient(databaseUrl: string, poolSize: number, queryTimeoutMs?: number): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: 2_000,
    // A frozen server answers nothing: give up on a query client-side (the request was answered UNAVAILABLE long before).
    ...(queryTimeoutMs ? { query_timeout: queryTimeoutMs } : {}),
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}

/**
 * A unique-index violation: P2002 from a model query, or PostgreSQL's 23505 surfacing through a raw
 * query. `field` narrows it to one index (its column or constraint name).
 */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const detail = `${error.message} ${JSON.stringify(error.meta ?? {})}`;
  const unique = error.code === 'P2002' || /23505|UniqueConstraintViolation|unique constraint/i.test(detail);
  return unique && (!field || detail.includes(field));
}
