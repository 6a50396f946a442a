import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { Item } from '../domain/item.js';
import { OrdersDatabase } from './orders-database.js';

@Injectable()
export class ItemsStore {
  constructor(
    @Inject(OrdersDatabase) private readonly db: OrdersDatabase,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'items', metrics);
  }

  async insert(item: Item): Promise<void> {
    await this.db.prisma.item.create({ data: item });
  }

  async find(id: string): Promise<Item | null> {
    return this.db.prisma.item.findUnique({ where: { id } });
  }
}
