import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { StoreAvailability, storeProbeSettings } from '@polystore/platform';
import pg from 'pg';
import { ORDERS_CONFIG, type OrdersConfig } from '../config.js';
import { createPrismaClient, type PrismaClient } from './prisma.js';

/** orders' connection to its database (Prisma over its pg driver adapter), and what orders knows of its availability. */
@Injectable()
export class OrdersDatabase implements OnApplicationShutdown {
  readonly prisma: PrismaClient;
  readonly availability: StoreAvailability;
  /** The heartbeat's own connection: a pool busy with slow work (a rebuild) must not look like a database that is away. */
  private probeClient: pg.Client | null = null;

  constructor(@Inject(ORDERS_CONFIG) readonly config: OrdersConfig) {
    const timing = storeProbeSettings('orders');
    this.prisma = createPrismaClient(config.databaseUrl, config.databasePoolSize, timing.operationTimeoutMs);
    this.availability = new StoreAvailability({
      store: 'postgres',
      probe: () => this.probe(timing.probeDeadlineMs),
      probeDeadlineMs: timing.probeDeadlineMs,
      probeIntervalMs: timing.probeIntervalMs,
    });
  }

  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }

  private async probe(deadlineMs: number): Promise<void> {
    try {
      if (!this.probeClient) {
        const client = new pg.Client({ connectionString: this.config.databaseUrl, connectionTimeoutMillis: deadlineMs, query_timeout: deadlineMs });
        client.on('error', () => this.dropProbeClient(client));
        this.probeClient = client;
        await client.connect();
      }
      await this.probeClient.query('SELECT 1');
    } catch (error) {
      if (this.probeClient) this.dropProbeClient(this.probeClient);
      throw error;
    }
  }

  private dropProbeClient(client: pg.Client): void {
    if (this.probeClient === client) this.probeClient = null;
    client.end().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.availability.stop();
    if (this.probeClient) this.dropProbeClient(this.probeClient);
    await this.prisma.$disconnect();
  }
}
