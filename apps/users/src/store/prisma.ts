import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../../../../generated/users/client.js';

export { Prisma, PrismaClient };
export type Tx = Prisma.TransactionClient;

/** The users database through Prisma's pg driver adapter (the only connection to it). */
export function createPrismaClient(databaseUrl: string, poolSize: number): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}

export function isUniqueViolation(error: unknown, field?: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return false;
  if (!field) return true;
  return JSON.stringify(error.meta ?? {}).includes(field);
}
