import type { EventEnvelope } from '@polystore/contracts';
import type { OutboxStore } from '@polystore/platform';
import { CATALOG_ALIAS } from './catalog-index.js';
import type { ProductsSearch } from './products-search.js';
import type { ProductsStore } from './products.store.js';
import { statusOf } from './products.store.js';

/** Removes published events from a document; a deleted product goes for good once its events are out. */
const ACK_EVENTS = `
  ctx._source.pendingEvents.removeIf(e -> params.ids.contains(e.id));
  ctx._source.hasPendingEvents = !ctx._source.pendingEvents.isEmpty();
  if (ctx._source.deleted == true && ctx._source.pendingEvents.isEmpty()) { ctx.op = 'delete'; }
`;

interface PendingDoc {
  id: string;
  events: EventEnvelope[];
}

/**
 * The relay's view of the per-document outboxes in the catalog. Documents written by this
 * process are picked up at once (their ids are queued on write; a realtime GET sees them before
 * any refresh); a search for `hasPendingEvents` sweeps up the rest (other instances, a crash).
 * Publishing is idempotent (Nats-Msg-Id = event id), so two relays racing on a document only
 * cause duplicates JetStream drops.
 */
export class ProductsOutbox implements OutboxStore {
  private readonly dirty = new Set<string>();

  constructor(
    private readonly search: ProductsSearch,
    private readonly store: ProductsStore,
  ) {}

  async onCommitted(wake: () => void): Promise<() => Promise<void>> {
    const stop = this.store.onWrite((id) => {
      this.dirty.add(id);
      wake();
    });
    return async () => void stop();
  }

  async drain(limit: number, publish: (events: EventEnvelope[]) => Promise<string[]>): Promise<number> {
    const docs = await this.pending(limit);
    for (const doc of docs) {
      const published = await publish(doc.events);
      if (published.length > 0) await this.acknowledge(doc.id, published);
      if (published.length < doc.events.length) {
        this.dirty.add(doc.id);
        throw new Error(`published ${published.length} of ${doc.events.length} events of product ${doc.id}`);
      }
    }
    return docs.length;
  }

  private async pending(limit: number): Promise<PendingDoc[]> {
    const queued = [...this.dirty].slice(0, limit);
    for (const id of queued) this.dirty.delete(id);
    const found: PendingDoc[] = [];
    if (queued.length > 0) {
      const { body } = await this.search.client.mget({ index: CATALOG_ALIAS, body: { ids: queued } });
      for (const d of body.docs as Array<{ _id: string; found?: boolean; _source?: { pendingEvents?: EventEnvelope[] } }>) {
        if (d.found && d._source?.pendingEvents?.length) found.push({ id: d._id, events: d._source.pendingEvents });
      }
    }
    if (found.length < limit) {
      const { body } = await this.search.client.search({
        index: CATALOG_ALIAS,
        body: { size: limit - found.length, query: { term: { hasPendingEvents: true } }, sort: [{ updatedAt: 'asc' }], _source: ['pendingEvents'] },
      });
      for (const hit of body.hits.hits as Array<{ _id: string; _source?: { pendingEvents?: EventEnvelope[] } }>) {
        if (!found.some((f) => f.id === hit._id) && hit._source?.pendingEvents?.length) found.push({ id: hit._id, events: hit._source.pendingEvents });
      }
    }
    return found;
  }

  private async acknowledge(id: string, eventIds: string[]): Promise<void> {
    try {
      await this.search.client.update({
        index: CATALOG_ALIAS,
        id,
        retry_on_conflict: 5,
        body: { script: { lang: 'painless', source: ACK_EVENTS, params: { ids: eventIds } } },
      });
    } catch (error) {
      if (statusOf(error) !== 404) throw error; // already gone: another relay finished it
    }
  }
}
