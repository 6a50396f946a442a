import { postgresClientOptions } from '@polystore/platform';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../../../../generated/users/client.js';

export { isUniqueViolation } from '@polystore/platform';
export { Prisma, PrismaClient };
export type Tx = Prisma.TransactionClient;

/** The users database: Prisma over its pg driver adapter, with the platform's pool and transaction settings. */
export const createPrismaClient = (databaseUrl: string, poolSize: number, operationTimeoutMs: number): PrismaClient =>
  new PrismaClient(postgresClientOptions((pool) => new PrismaPg(pool), databaseUrl, poolSize, operationTimeoutMs));
