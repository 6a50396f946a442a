import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { USERS_CONFIG, type UsersStoreConfig } from '../config.js';
import { createPrismaClient, type PrismaClient } from './prisma.js';

/** Owns the Prisma client (and its pg pool) for the users database. */
@Injectable()
export class UsersDatabase implements OnApplicationShutdown {
  readonly prisma: PrismaClient;

  constructor(@Inject(USERS_CONFIG) config: UsersStoreConfig) {
    this.prisma = createPrismaClient(config.databaseUrl, config.databasePoolSize);
  }

  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
