import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { EventEnvelope } from '@polystore/contracts';
import type { WriteListener } from './outbox.js';
import { ProductsSearch } from './products-search.js';
import { statusOf } from './products.store.js';
import { STOCK_RETURNS_ALIAS } from './stock-returns-index.js';

/** A cancelled order's stock return: `returning` while its units go back product by product, then `returned`. */
export interface StockReturnRecord {
  orderId: string;
  checkoutId: string;
  status: 'returning' | 'returned';
  /** What is given back, decided once when the return is created (a repeat gives back the same). */
  lines: Array<{ productId: string; quantity: number }>;
  createdAt: string;
  updatedAt: string;
}

interface StockReturnDocument extends StockReturnRecord {
  pendingEvents: EventEnvelope[];
  hasPendingEvents: boolean;
}

/** Stock return documents; like reservations, each carries the events of its changes (its outbox). */
@Injectable()
export class StockReturnsStore {
  private readonly listeners = new Set<WriteListener>();
  readonly index = STOCK_RETURNS_ALIAS;

  constructor(
    @Inject(ProductsSearch) private readonly opensearch: ProductsSearch,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'stockReturns', metrics);
  }

  onWrite(listener: WriteListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The order's return as stored, creating it from `fresh` when there is none (only one creation can win). */
  async getOrCreate(fresh: StockReturnRecord): Promise<StockReturnRecord> {
    try {
      await this.opensearch.client.index({ index: STOCK_RETURNS_ALIAS, id: fresh.orderId, op_type: 'create', body: toDocument(fresh, []) });
      return fresh;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    const existing = await this.getRaw(fresh.orderId);
    if (!existing) throw new Error(`stock return ${fresh.orderId} exists and cannot be read`);
    return fromDocument(existing.doc);
  }

  async get(orderId: string): Promise<StockReturnRecord | null> {
    const found = await this.getRaw(orderId);
    return found ? fromDocument(found.doc) : null;
  }

  /** returning → returned with its event, under optimistic concurrency; a return already finished stays as it is. */
  async finish(orderId: string, event: EventEnvelope): Promise<StockReturnRecord> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.getRaw(orderId);
      if (!current) throw new Error(`stock return ${orderId} not found`);
      if (current.doc.status === 'returned') return fromDocument(current.doc);
      const next: StockReturnRecord = { ...fromDocument(current.doc), status: 'returned', updatedAt: new Date().toISOString() };
      try {
        const doc = toDocument(next, [...current.doc.pendingEvents, event]);
        await this.opensearch.client.index({
          index: STOCK_RETURNS_ALIAS,
          id: orderId,
          body: doc,
          if_seq_no: current.seqNo,
          if_primary_term: current.primaryTerm,
        });
        for (const listener of this.listeners) listener(orderId, doc.pendingEvents);
        return next;
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
    }
    throw new Error(`stock return ${orderId} kept changing`);
  }

  private async getRaw(orderId: string): Promise<{ doc: StockReturnDocument; seqNo: number; primaryTerm: number } | null> {
    try {
      const { body } = await this.opensearch.client.get({ index: STOCK_RETURNS_ALIAS, id: orderId });
      return { doc: body._source as StockReturnDocument, seqNo: body._seq_no!, primaryTerm: body._primary_term! };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }
}

function toDocument(record: StockReturnRecord, pendingEvents: EventEnvelope[]): StockReturnDocument {
  return { ...record, pendingEvents, hasPendingEvents: pendingEvents.length > 0 };
}

function fromDocument(doc: StockReturnDocument): StockReturnRecord {
  const { pendingEvents: _p, hasPendingEvents: _h, ...record } = doc;
  return record;
}
