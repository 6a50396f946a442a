import { isUniqueViolationOf, postgresPoolOptions, postgresTransactionSettings } from '@polystore/platform';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../../../../generated/users/client.js';

export { Prisma, PrismaClient };
export type Tx = Prisma.TransactionClient;

/** The users database through Prisma's pg driver adapter, with the platform's pool and transaction settings. */
export function createPrismaClient(databaseUrl: string, poolSize: number, operationTimeoutMs: number): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg(postgresPoolOptions(databaseUrl, poolSize, operationTimeoutMs)),
    transactionOptions: postgresTransactionSettings(operationTimeoutMs),
  });
}

/** A unique-index violation (P2002, or 23505 through a raw query); `index` narrows it to one index or column. */
export function isUniqueViolation(error: unknown, index?: string): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && isUniqueViolationOf(error, index);
}
