import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { ORDERS_CONFIG, type OrdersConfig } from '../config.js';
import { PrismaClient } from '../../../../generated/orders/client.js';

/** orders's only connection to its database: Prisma over its pg driver adapter. */
@Injectable()
export class OrdersDatabase implements OnApplicationShutdown {
  readonly prisma: PrismaClient;

  constructor(@Inject(ORDERS_CONFIG) readonly config: OrdersConfig) {
    const adapter = new PrismaPg({ connectionString: config.databaseUrl, max: config.databasePoolSize, connectionTimeoutMillis: 2_000 });
    this.prisma = new PrismaClient({ adapter });
  }

  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
