import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PostgresDatabase } from '@polystore/platform';
import pg from 'pg';
import { ORDERS_CONFIG, type OrdersConfig } from '../config.js';
import { createPrismaClient, type PrismaClient } from './prisma.js';

/** orders' connections to its database (the platform's PostgresDatabase on orders' own driver), and what orders knows of its availability. */
@Injectable()
export class OrdersDatabase extends PostgresDatabase<PrismaClient> implements OnApplicationShutdown {
  constructor(@Inject(ORDERS_CONFIG) readonly config: OrdersConfig) {
    super({
      service: 'orders',
      databaseUrl: config.databaseUrl,
      client: (timeoutMs) => createPrismaClient(config.databaseUrl, config.databasePoolSize, timeoutMs),
      connection: (options) => new pg.Client(options),
    });
  }
}
