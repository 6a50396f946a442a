import type { EventEnvelope } from '@polystore/contracts';
import type { OutboxBacklog, OutboxStore } from '@polystore/platform';
import type { WrittenVersion } from './last-writes.js';
import type { ProductsSearch } from './products-search.js';
import { statusOf } from './products.store.js';

/** A store whose documents carry pending events, and tells which document it just wrote. */
export interface OutboxSource {
  index: string;
  onWrite(listener: (id: string) => void): () => void;
  /** The relay rewrote the document (its published events taken off): the version it wrote. */
  acknowledged?(id: string, written: WrittenVersion<unknown>): void;
}

/** Removes published events from a document; a deleted product goes for good once its events are out. */
const ACK_EVENTS = `
  ctx._source.pendingEvents.removeIf(e -> params.ids.contains(e.id));
  ctx._source.hasPendingEvents = !ctx._source.pendingEvents.isEmpty();
  if (ctx._source.deleted == true && ctx._source.pendingEvents.isEmpty()) { ctx.op = 'delete'; }
`;

interface PendingDoc {
  index: string;
  id: string;
  events: EventEnvelope[];
}

/**
 * The relay's view of the per-document outboxes (catalog, reservations, stock returns). Documents written by this
 * process are picked up at once (their ids are queued on write; a realtime GET sees them before
 * any refresh); a search for `hasPendingEvents` sweeps up the rest (other instances, a crash).
 * Publishing is idempotent (Nats-Msg-Id = event id), so two relays racing on a document only
 * cause duplicates JetStream drops.
 */
export class ProductsOutbox implements OutboxStore {
  /** `<index>\u0000<id>` of documents this process just wrote. */
  private readonly dirty = new Set<string>();

  constructor(
    private readonly search: ProductsSearch,
    private readonly sources: OutboxSource[],
  ) {}

  async onCommitted(wake: () => void): Promise<() => Promise<void>> {
    const stops = this.sources.map((source) =>
      source.onWrite((id) => {
        this.dirty.add(`${source.index}\u0000${id}`);
        wake();
      }),
    );
    return async () => stops.forEach((stop) => stop());
  }

  async drain(limit: number, publish: (events: EventEnvelope[]) => Promise<string[]>): Promise<number> {
    const docs = await this.pending(limit);
    for (const doc of docs) {
      const published = await publish(doc.events);
      if (published.length > 0) await this.acknowledge(doc.index, doc.id, published);
      if (published.length < doc.events.length) {
        this.dirty.add(`${doc.index}\u0000${doc.id}`);
        throw new Error(`published ${published.length} of ${doc.events.length} events of product ${doc.id}`);
      }
    }
    return docs.length;
  }

  /**
   * Documents holding unpublished events (each holds one or more), and the oldest such event: a
   * count and a one-hit search per index, on the `hasPendingEvents` flag the relay sweeps by.
   */
  async backlog(): Promise<OutboxBacklog> {
    let pending = 0;
    let oldest: number | null = null;
    for (const source of this.sources) {
      const query = { term: { hasPendingEvents: true } };
      const [{ body: counted }, { body: found }] = await Promise.all([
        this.search.client.count({ index: source.index, body: { query } }),
        this.search.client.search({ index: source.index, body: { size: 1, query, sort: [{ updatedAt: 'asc' }], _source: ['pendingEvents'] } }),
      ]);
      pending += counted.count;
      for (const hit of found.hits.hits as Array<{ _source?: { pendingEvents?: EventEnvelope[] } }>) {
        for (const event of hit._source?.pendingEvents ?? []) {
          const at = Date.parse(event.occurredAt);
          if (oldest === null || at < oldest) oldest = at;
        }
      }
    }
    return { pending, oldestWrittenAt: oldest === null ? null : new Date(oldest) };
  }

  private async pending(limit: number): Promise<PendingDoc[]> {
    const queued = [...this.dirty].slice(0, limit);
    for (const key of queued) this.dirty.delete(key);
    const found: PendingDoc[] = [];
    if (queued.length > 0) {
      const docs = queued.map((key) => {
        const [index, id] = key.split('\u0000') as [string, string];
        return { _index: index, _id: id };
      });
      const { body } = await this.search.client.mget({ body: { docs } });
      for (const d of body.docs as Array<{ _index: string; _id: string; found?: boolean; _source?: { pendingEvents?: EventEnvelope[] } }>) {
        if (d.found && d._source?.pendingEvents?.length)
          found.push({ index: this.sourceIndexOf(d._index), id: d._id, events: d._source.pendingEvents });
      }
    }
    for (const source of this.sources) {
      if (found.length >= limit) break;
      const { body } = await this.search.client.search({
        index: source.index,
        body: { size: limit - found.length, query: { term: { hasPendingEvents: true } }, sort: [{ updatedAt: 'asc' }], _source: ['pendingEvents'] },
      });
      for (const hit of body.hits.hits as Array<{ _id: string; _source?: { pendingEvents?: EventEnvelope[] } }>) {
        if (!found.some((f) => f.id === hit._id && f.index === source.index) && hit._source?.pendingEvents?.length) {
          found.push({ index: source.index, id: hit._id, events: hit._source.pendingEvents });
        }
      }
    }
    return found;
  }

  /** mget answers with the concrete index; writes go through the alias it belongs to. */
  private sourceIndexOf(concrete: string): string {
    return this.sources.find((s) => concrete.startsWith(`${s.index}-v`) || concrete === s.index)?.index ?? concrete;
  }

  private async acknowledge(index: string, id: string, eventIds: string[]): Promise<void> {
    try {
      const { body } = await this.search.client.update({
        index,
        id,
        retry_on_conflict: 5,
        // The written document comes back, so its store can write over this version without reading it.
        _source: true,
        body: { script: { lang: 'painless', source: ACK_EVENTS, params: { ids: eventIds } } },
      });
      const written = body.get;
      if (written?.found && written._source && body._seq_no !== undefined && body._primary_term !== undefined) {
        const source = this.sources.find((s) => s.index === index);
        source?.acknowledged?.(id, { doc: written._source, seqNo: body._seq_no, primaryTerm: body._primary_term, index: body._index });
      }
    } catch (error) {
      if (statusOf(error) !== 404) throw error; // already gone: another relay finished it
    }
  }
}
