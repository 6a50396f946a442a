import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OrdersItem } from '@polystore/contracts';
import { newItem, type Item } from '../domain/item.js';
import { ItemsStore } from '../store/items.store.js';
import { ItemNotFound } from '../domain/errors.js';

/** The use cases behind orders's handlers. */
@Injectable()
export class ItemsService {
  constructor(@Inject(ItemsStore) private readonly store: ItemsStore) {}

  async create(label: string): Promise<OrdersItem> {
    const item = newItem(randomUUID(), label, new Date());
    await this.store.insert(item);
    return toReply(item);
  }

  async get(id: string): Promise<OrdersItem> {
    const item = await this.store.find(id);
    if (!item) throw new ItemNotFound(id);
    return toReply(item);
  }
}

const toReply = (item: Item): OrdersItem => ({ id: item.id, label: item.label, createdAt: item.createdAt.toISOString() });
