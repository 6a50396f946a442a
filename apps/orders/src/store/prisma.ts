import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../../../../generated/orders/client.js';

export { Prisma, PrismaClient };
export type Tx = Prisma.TransactionClient;

/** The orders database through Prisma's pg driver adapter (the service's only connection to it besides the heartbeat's). */
export function createPrismaClient(databaseUrl: string, poolSize: number, queryTimeoutMs?: number): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: 2_000,
    // A frozen server answers nothing: give up on a query client-side.
    ...(queryTimeoutMs ? { query_timeout: queryTimeoutMs } : {}),
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}

/** A unique-index violation (P2002, or 23505 through a raw query); `index` narrows it to one index or column. */
export function isUniqueViolation(error: unknown, index?: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const detail = `${error.message} ${JSON.stringify(error.meta ?? {})}`;
  const unique = error.code === 'P2002' || /23505|UniqueConstraintViolation|unique constraint/i.test(detail);
  return unique && (!index || detail.includes(index));
}
