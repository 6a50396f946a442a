import type { EventEnvelope } from '@polystore/contracts';
import type { OutboxBacklog, OutboxStore } from '@polystore/platform';
import type { WrittenVersion } from './last-writes.js';
import type { ProductsSearch } from './products-search.js';

/** Told of a write that left events pending on document `id`: the document's pending events as written. */
export type WriteListener = (id: string, pendingEvents: EventEnvelope[]) => void;

/** A store whose documents carry pending events, and tells which document it just wrote. */
export interface OutboxSource {
  index: string;
  onWrite(listener: WriteListener): () => void;
  /** The relay rewrote the document (its published events taken off): the version it wrote. */
  acknowledged?(id: string, written: WrittenVersion<unknown>): void;
}

/**
 * Removes published events from a document; a deleted product goes for good once its events are out.
 * A document that holds none of them any more (acknowledged already) is left as it is, so its
 * version does not move under the writer's next conditional write.
 */
const ACK_EVENTS = `
  if (!ctx._source.pendingEvents.removeIf(e -> params.ids.contains(e.id))) { ctx.op = 'none'; return; }
  ctx._source.hasPendingEvents = !ctx._source.pendingEvents.isEmpty();
  if (ctx._source.deleted == true && ctx._source.pendingEvents.isEmpty()) { ctx.op = 'delete'; }
`;

interface PendingDoc {
  index: string;
  id: string;
  events: EventEnvelope[];
}

/**
 * How often at most the relay searches every index for documents with pending events (written by
 * another instance, or before a crash). The documents this process writes do not wait for it.
 */
const SWEEP_INTERVAL_MS = 1_000;

/**
 * The relay's view of the per-document outboxes (catalog, reservations, stock returns). Documents written by this
 * process are picked up at once, with the events they were written with (no read: those events are
 * in the store from that write on); a search for `hasPendingEvents`, at most once a second, sweeps up
 * the rest (other instances, a crash, a document read back after a failed publish).
 * Publishing is idempotent (Nats-Msg-Id = event id), so two relays racing on a document, or an event
 * published again, only cause duplicates JetStream drops.
 */
export class ProductsOutbox implements OutboxStore {
  /**
   * Documents this process just wrote, by `<index>\u0000<id>`: the pending events it wrote them with,
   * or null when they are to be read (a publish that failed half-way).
   */
  private readonly dirty = new Map<string, EventEnvelope[] | null>();
  private lastSweep = 0;

  constructor(
    private readonly search: ProductsSearch,
    private readonly sources: OutboxSource[],
  ) {}

  async onCommitted(wake: () => void): Promise<() => Promise<void>> {
    const stops = this.sources.map((source) =>
      source.onWrite((id, pendingEvents) => {
        this.dirty.set(`${source.index}\u0000${id}`, pendingEvents);
        wake();
      }),
    );
    return async () => stops.forEach((stop) => stop());
  }

  /**
   * Publishes the pending documents' events (the documents side by side, each document's events in
   * order) and takes what was published off all of them in one bulk request.
   */
  async drain(limit: number, publish: (events: EventEnvelope[]) => Promise<string[]>): Promise<number> {
    const docs = await this.pending(limit);
    if (docs.length === 0) return 0;
    const published = await Promise.all(docs.map((doc) => publish(doc.events)));
    await this.acknowledge(docs.map((doc, i) => ({ ...doc, eventIds: published[i]! })).filter((doc) => doc.eventIds.length > 0));
    const short = docs.filter((doc, i) => published[i]!.length < doc.events.length);
    for (const doc of short) this.dirty.set(`${doc.index}\u0000${doc.id}`, null);
    if (short.length > 0) throw new Error(`the events of ${short.length} of ${docs.length} documents were not all published`);
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
    for (const [key] of queued) this.dirty.delete(key);
    const found: PendingDoc[] = [];
    const toRead: Array<{ _index: string; _id: string }> = [];
    for (const [key, events] of queued) {
      const [index, id] = key.split('\u0000') as [string, string];
      if (events) found.push({ index, id, events });
      else toRead.push({ _index: index, _id: id });
    }
    if (toRead.length > 0) {
      const { body } = await this.search.client.mget({ body: { docs: toRead } });
      for (const d of body.docs as Array<{ _index: string; _id: string; found?: boolean; _source?: { pendingEvents?: EventEnvelope[] } }>) {
        if (d.found && d._source?.pendingEvents?.length)
          found.push({ index: this.sourceIndexOf(d._index), id: d._id, events: d._source.pendingEvents });
      }
    }
    // The sweep sees what the last refresh made visible: documents just acknowledged may still show
    // their events (published again, dropped by JetStream, acknowledged as a no-op).
    if (Date.now() - this.lastSweep < SWEEP_INTERVAL_MS) return found;
    this.lastSweep = Date.now();
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

  /** Takes the published events off their documents: one scripted update each, all in one bulk request. */
  private async acknowledge(docs: Array<{ index: string; id: string; eventIds: string[] }>): Promise<void> {
    if (docs.length === 0) return;
    const body = docs.flatMap(({ index, id, eventIds }) => [
      { update: { _index: index, _id: id, retry_on_conflict: 5 } },
      // The written document comes back, so its store can write over this version without reading it.
      { script: { lang: 'painless', source: ACK_EVENTS, params: { ids: eventIds } }, _source: true },
    ]);
    const { body: answer } = await this.search.client.bulk({ body: body as never });
    const items = answer.items as Array<{
      update?: {
        status: number;
        _index?: string;
        _seq_no?: number;
        _primary_term?: number;
        get?: { found?: boolean; _source?: unknown };
        error?: { type?: string; reason?: string };
      };
    }>;
    const failures: string[] = [];
    docs.forEach(({ index, id }, k) => {
      const item = items[k]?.update;
      const status = item?.status ?? 500;
      if (status === 404) return; // already gone: another relay finished it
      if (status >= 300) {
        failures.push(`${id} (${status}: ${item?.error?.reason ?? item?.error?.type ?? 'unknown'})`);
        this.dirty.set(`${index}\u0000${id}`, null);
        return;
      }
      const written = item!.get;
      if (written?.found && written._source && item!._seq_no !== undefined && item!._primary_term !== undefined) {
        const source = this.sources.find((s) => s.index === index);
        source?.acknowledged?.(id, { doc: written._source, seqNo: item!._seq_no, primaryTerm: item!._primary_term, index: item!._index });
      }
    });
    if (failures.length > 0) throw new Error(`taking published events off ${failures.join(', ')} failed`);
  }
}
