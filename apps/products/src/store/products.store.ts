import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { EventEnvelope } from '@polystore/contracts';
import { ProductKeptChanging, ProductNotFound, SkuTaken } from '../domain/errors.js';
import type { ProductRecord } from '../domain/product.js';
import { reservedQuantity } from '../domain/product.js';
import { CATALOG_ALIAS } from './catalog-index.js';
import { LastWrites, type WrittenVersion } from './last-writes.js';
import type { WriteListener } from './outbox.js';
import { ProductsSearch } from './products-search.js';

/** A stored product with the optimistic-concurrency token of the version read. */
export interface Versioned<T> {
  record: T;
  seqNo: number;
  primaryTerm: number;
}

/** The document as stored: the record, search helpers, and its own outbox. */
interface ProductDocument extends ProductRecord {
  attributePairs: string[];
  stockAvailable: number;
  suggest: { input: string[] };
  pendingEvents: EventEnvelope[];
  hasPendingEvents: boolean;
}

const MAX_CONFLICT_RETRIES = 5;

/**
 * The catalog in OpenSearch. OpenSearch writes are atomic per document only, so each product
 * document carries its own outbox: the events a change causes are written in the same document
 * write as the change (`pendingEvents`), and the relay removes them once published.
 */
@Injectable()
export class ProductsStore {
  private readonly listeners = new Set<WriteListener>();
  private readonly lastWrites = new LastWrites<ProductDocument>();
  readonly index = CATALOG_ALIAS;

  constructor(
    @Inject(ProductsSearch) private readonly opensearch: ProductsSearch,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'products', metrics);
  }

  /** Called after each write that leaves events pending, so the outbox relay starts at once. */
  onWrite(listener: WriteListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** See OutboxSource.acknowledged: the relay's version of the document is the one to write over next. */
  acknowledged(id: string, written: WrittenVersion<unknown>): void {
    this.lastWrites.rememberIfNewer(id, written as WrittenVersion<ProductDocument>);
  }

  /** Creates the product; 409 when a product with its id (derived from the SKU) exists. */
  async create(record: ProductRecord, events: EventEnvelope[]): Promise<ProductRecord> {
    try {
      await this.opensearch.client.index({ index: CATALOG_ALIAS, id: record.id, op_type: 'create', body: toDocument(record, events) });
    } catch (error) {
      if (statusOf(error) === 409) throw new SkuTaken(record.sku);
      throw error;
    }
    if (events.length) this.notify(record.id, events);
    return record;
  }

  /**
   * Bulk load (the seed command): one bulk request per batch, each product created only if its
   * SKU is free. Returns how many were created; SKUs that exist are skipped.
   */
  async bulkCreate(items: Array<{ record: ProductRecord; events: EventEnvelope[] }>): Promise<{ created: number; skipped: number }> {
    if (items.length === 0) return { created: 0, skipped: 0 };
    const body = items.flatMap(({ record, events }) => [{ create: { _index: CATALOG_ALIAS, _id: record.id } }, toDocument(record, events)]);
    const { body: result } = await this.opensearch.client.bulk({ body: body as never });
    let created = 0;
    let skipped = 0;
    for (const item of result.items as Array<{ create?: { status: number; error?: { reason?: string } } }>) {
      const status = item.create?.status ?? 500;
      if (status === 201) created++;
      else if (status === 409) skipped++;
      else throw new Error(`bulk create failed (${status}): ${item.create?.error?.reason ?? 'unknown'}`);
    }
    for (const { record, events } of items) if (events.length) this.notify(record.id, events);
    return { created, skipped };
  }

  /** Of these ids, those with a product that is not deleted (one multi-get). */
  async existing(ids: string[]): Promise<Set<string>> {
    const { body } = await this.opensearch.client.mget({ index: CATALOG_ALIAS, body: { ids }, _source_includes: ['deleted'] });
    const docs = body.docs as Array<{ _id: string; found?: boolean; _source?: { deleted?: boolean } }>;
    return new Set(docs.filter((d) => d.found && !d._source?.deleted).map((d) => d._id));
  }

  async get(id: string): Promise<Versioned<ProductRecord> | null> {
    try {
      const { body } = await this.opensearch.client.get({ index: CATALOG_ALIAS, id });
      const doc = body._source as ProductDocument;
      if (doc.deleted) return null;
      return { record: fromDocument(doc), seqNo: body._seq_no!, primaryTerm: body._primary_term! };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /**
   * Read-modify-write under optimistic concurrency: `change` computes the new record and its
   * events from the current one (or returns null for "nothing to do"); a concurrent write makes
   * it retry on the fresh version, and after MAX_CONFLICT_RETRIES the caller gets 409.
   */
  async modify(
    id: string,
    change: (current: ProductRecord) => { next: ProductRecord; events: EventEnvelope[] } | null,
    { retries = MAX_CONFLICT_RETRIES } = {},
  ): Promise<ProductRecord> {
    for (let attempt = 1; attempt <= retries; attempt++) {
      // Back off a little, with jitter, so contenders for the same document spread out.
      if (attempt > 1) await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      // First try from what this process last wrote; anything but a write it allows is decided on a fresh read.
      let current: WrittenVersion<ProductDocument> | null | undefined = attempt === 1 ? this.lastWrites.get(id) : undefined;
      let outcome: { next: ProductRecord; events: EventEnvelope[] } | null = null;
      if (current && !current.doc.deleted) outcome = attemptChange(change, current.doc);
      if (!outcome) {
        current = await this.getRaw(id);
        if (!current || current.doc.deleted) throw new ProductNotFound(id);
        outcome = change(fromDocument(current.doc));
        if (!outcome) return fromDocument(current.doc);
      }
      const doc = toDocument(outcome.next, [...current!.doc.pendingEvents, ...outcome.events]);
      const fromMemory = current === this.lastWrites.get(id);
      try {
        const { body } = await this.opensearch.client.index({
          // A remembered version is only valid in the index it was written to: after a reindex swapped
          // the alias, that index is write-blocked or gone, and the write fails instead of landing elsewhere.
          index: fromMemory && current!.index ? current!.index : CATALOG_ALIAS,
          id,
          body: doc,
          if_seq_no: current!.seqNo,
          if_primary_term: current!.primaryTerm,
        });
        this.lastWrites.remember(id, { doc, seqNo: body._seq_no, primaryTerm: body._primary_term, index: body._index });
        if (doc.hasPendingEvents) this.notify(id, doc.pendingEvents);
        return outcome.next;
      } catch (error) {
        this.lastWrites.forget(id);
        const status = statusOf(error);
        if (status !== 409 && !(fromMemory && (status === 403 || status === 404))) throw error;
      }
    }
    throw new ProductKeptChanging(id);
  }

  /**
   * `modify` for several products at once, in as few round trips as the store allows: the versions
   * this process does not remember are read in one mget, the changes go in one bulk request (each
   * write conditional on the version it was computed from, as in `modify`), and only the products
   * whose write met a concurrent one are read and tried again. Each product succeeds or fails on its
   * own (a bulk request is not a transaction): the answer is one settled result per id, in order.
   * A `change` that throws fails that product with its error, and it is not retried.
   */
  async modifyMany(
    ids: string[],
    change: (id: string, current: ProductRecord) => { next: ProductRecord; events: EventEnvelope[] } | null,
    { retries = MAX_CONFLICT_RETRIES } = {},
  ): Promise<Array<PromiseSettledResult<ProductRecord>>> {
    const results: Array<PromiseSettledResult<ProductRecord> | undefined> = ids.map(() => undefined);
    let open = ids.map((id, i) => ({ id, i }));
    for (let attempt = 1; attempt <= retries && open.length > 0; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      // First try from what this process last wrote (as `modify` does); the rest is read in one mget.
      const planned: Array<{
        id: string;
        i: number;
        current: WrittenVersion<ProductDocument>;
        fromMemory: boolean;
        next: ProductRecord;
        events: EventEnvelope[];
      }> = [];
      const toRead: Array<{ id: string; i: number }> = [];
      for (const item of open) {
        const remembered = attempt === 1 ? this.lastWrites.get(item.id) : undefined;
        const outcome = remembered && !remembered.doc.deleted ? attemptChange((current) => change(item.id, current), remembered.doc) : null;
        if (outcome) planned.push({ ...item, current: remembered!, fromMemory: true, ...outcome });
        else toRead.push(item);
      }
      const fresh = await this.getManyRaw(toRead.map((item) => item.id));
      for (const item of toRead) {
        const current = fresh.get(item.id);
        if (!current || current.doc.deleted) {
          results[item.i] = { status: 'rejected', reason: new ProductNotFound(item.id) };
          continue;
        }
        try {
          const outcome = change(item.id, fromDocument(current.doc));
          if (outcome) planned.push({ ...item, current, fromMemory: false, ...outcome });
          else results[item.i] = { status: 'fulfilled', value: fromDocument(current.doc) };
        } catch (error) {
          results[item.i] = { status: 'rejected', reason: error };
        }
      }
      open = [];
      if (planned.length === 0) break;
      const body = planned.flatMap((p) => [
        {
          index: {
            // See `modify`: a remembered version is only valid in the concrete index it was written to.
            _index: p.fromMemory && p.current.index ? p.current.index : CATALOG_ALIAS,
            _id: p.id,
            if_seq_no: p.current.seqNo,
            if_primary_term: p.current.primaryTerm,
          },
        },
        toDocument(p.next, [...p.current.doc.pendingEvents, ...p.events]),
      ]);
      const { body: answer } = await this.opensearch.client.bulk({ body: body as never });
      const items = answer.items as Array<{
        index?: { status: number; _seq_no?: number; _primary_term?: number; _index?: string; error?: { type?: string; reason?: string } };
      }>;
      planned.forEach((p, k) => {
        const item = items[k]?.index;
        const status = item?.status ?? 500;
        const doc = body[2 * k + 1] as ProductDocument;
        if (status === 200 || status === 201) {
          this.lastWrites.remember(p.id, { doc, seqNo: item!._seq_no!, primaryTerm: item!._primary_term!, index: item!._index });
          if (doc.hasPendingEvents) this.notify(p.id, doc.pendingEvents);
          results[p.i] = { status: 'fulfilled', value: p.next };
          return;
        }
        this.lastWrites.forget(p.id);
        if (status === 409 || (p.fromMemory && (status === 403 || status === 404))) open.push({ id: p.id, i: p.i });
        else
          results[p.i] = {
            status: 'rejected',
            reason: new Error(`writing product ${p.id} failed (${status}): ${item?.error?.reason ?? item?.error?.type ?? 'unknown'}`),
          };
      });
    }
    for (const { id, i } of open) results[i] = { status: 'rejected', reason: new ProductKeptChanging(id) };
    return results as Array<PromiseSettledResult<ProductRecord>>;
  }

  /** Runs a catalog search body (built in domain/search.ts) against the alias. */
  async query(body: Record<string, unknown>): Promise<{
    hits: Array<{ record: ProductRecord; sort: unknown[] }>;
    total: number;
    totalRelation: 'eq' | 'gte';
    aggregations: Record<string, { buckets: Array<{ key: string | number; doc_count: number; from?: number; to?: number }> }>;
  }> {
    // The shard request cache holds whole answers (hits and facets) of repeated searches; a refresh
    // that changed the shard retires them, so an answer is never older than an uncached search's.
    // Requests with hits are cached only when asked for explicitly.
    const { body: result } = await this.opensearch.client.search({ index: CATALOG_ALIAS, body: body as never, request_cache: true });
    const total = result.hits.total;
    return {
      hits: (result.hits.hits as Array<{ _source: ProductDocument; sort: unknown[] }>).map((h) => ({
        record: fromDocument(h._source),
        sort: h.sort,
      })),
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      totalRelation: typeof total === 'object' && total?.relation === 'gte' ? 'gte' : 'eq',
      aggregations: (result.aggregations ?? {}) as never,
    };
  }

  async suggest(body: Record<string, unknown>): Promise<string[]> {
    const { body: result } = await this.opensearch.client.search({ index: CATALOG_ALIAS, body: body as never });
    const options = (result.suggest?.names?.[0]?.options ?? []) as Array<{ text: string }>;
    return [...new Set(options.map((o) => o.text))];
  }

  private async getRaw(id: string): Promise<WrittenVersion<ProductDocument> | null> {
    try {
      const { body } = await this.opensearch.client.get({ index: CATALOG_ALIAS, id });
      return { doc: body._source as ProductDocument, seqNo: body._seq_no!, primaryTerm: body._primary_term!, index: body._index };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** The current versions of `ids` in one round trip (realtime, like GET); missing ones are absent. */
  private async getManyRaw(ids: string[]): Promise<Map<string, WrittenVersion<ProductDocument>>> {
    const found = new Map<string, WrittenVersion<ProductDocument>>();
    if (ids.length === 0) return found;
    const { body } = await this.opensearch.client.mget({ index: CATALOG_ALIAS, body: { ids } });
    for (const d of body.docs as Array<{
      _id: string;
      _index: string;
      found?: boolean;
      _source?: ProductDocument;
      _seq_no?: number;
      _primary_term?: number;
    }>) {
      if (d.found && d._source) found.set(d._id, { doc: d._source, seqNo: d._seq_no!, primaryTerm: d._primary_term!, index: d._index });
    }
    return found;
  }

  private notify(id: string, pendingEvents: EventEnvelope[]): void {
    for (const listener of this.listeners) listener(id, pendingEvents);
  }
}

function toDocument(record: ProductRecord, pendingEvents: EventEnvelope[]): ProductDocument {
  return {
    ...record,
    attributePairs: Object.entries(record.attributes).map(([k, v]) => `${k}=${v}`),
    stockAvailable: Math.max(0, record.stockOnHand - reservedQuantity(record)),
    suggest: { input: [record.name, record.brand] },
    pendingEvents,
    hasPendingEvents: pendingEvents.length > 0,
  };
}

function fromDocument(doc: ProductDocument): ProductRecord {
  const { attributePairs: _a, stockAvailable: _s, suggest: _g, pendingEvents: _p, hasPendingEvents: _h, ...record } = doc;
  return record;
}

export function statusOf(error: unknown): number | undefined {
  return (error as { meta?: { statusCode?: number } })?.meta?.statusCode;
}

/** The change computed from a remembered version, or null when it refuses or has nothing to do (then read fresh). */
function attemptChange<T>(change: (current: ProductRecord) => T | null, doc: ProductDocument): T | null {
  try {
    return change(fromDocument(doc));
  } catch {
    return null;
  }
}
