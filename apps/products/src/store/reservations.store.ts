import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { EventEnvelope, ReservationStatus, ReservedLine } from '@polystore/contracts';
import { ProductsSearch } from './products-search.js';
import { statusOf } from './products.store.js';
import { LastWrites, type WrittenVersion } from './last-writes.js';
import type { WriteListener } from './outbox.js';
import { RESERVATIONS_ALIAS } from './reservations-index.js';

export interface ReservationRecord {
  reservationId: string;
  status: ReservationStatus;
  lines: ReservedLine[];
  expiresAt: string;
  reason?: string;
  /** For a rejection: the error code it was answered with, so a retry is answered the same. */
  reasonCode?: string;
  createdAt: string;
  updatedAt: string;
}

interface ReservationDocument extends ReservationRecord {
  pendingEvents: EventEnvelope[];
  hasPendingEvents: boolean;
}

/** Reservation documents; like products, each carries the events of its changes (its outbox). */
@Injectable()
export class ReservationsStore {
  private readonly listeners = new Set<WriteListener>();
  readonly index = RESERVATIONS_ALIAS;
  private readonly lastWrites = new LastWrites<ReservationDocument>();

  constructor(
    @Inject(ProductsSearch) private readonly opensearch: ProductsSearch,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'reservations', metrics);
  }

  onWrite(listener: WriteListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates it; false when a reservation with this id exists already. */
  async create(record: ReservationRecord): Promise<boolean> {
    try {
      const doc = toDocument(record, []);
      const { body } = await this.opensearch.client.index({ index: RESERVATIONS_ALIAS, id: record.reservationId, op_type: 'create', body: doc });
      this.lastWrites.remember(record.reservationId, { doc, seqNo: body._seq_no, primaryTerm: body._primary_term });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  }

  /**
   * Creates it, or answers the reservation that has its id already: one round trip when it is new
   * (the usual case), the create's refusal and a read otherwise. Null only if it vanished in between.
   */
  async createOrGet(record: ReservationRecord): Promise<{ created: boolean; record: ReservationRecord | null }> {
    if (await this.create(record)) return { created: true, record };
    return { created: false, record: await this.get(record.reservationId) };
  }

  /**
   * The outbox relay rewrote the document (took its published events off): the version it wrote is
   * the one to write over next, so the next transition needs no read. Older news is ignored.
   */
  acknowledged(id: string, written: WrittenVersion<unknown>): void {
    this.lastWrites.rememberIfNewer(id, written as WrittenVersion<ReservationDocument>);
  }

  async get(id: string): Promise<ReservationRecord | null> {
    const found = await this.getRaw(id);
    return found ? fromDocument(found.doc) : null;
  }

  /**
   * Moves a reservation from one of `from` to `to` under optimistic concurrency, adding events
   * to its outbox. Returns the record as it ends up (unchanged when its status was not in `from`).
   */
  async transition(
    id: string,
    from: ReservationStatus[],
    to: ReservationStatus,
    events: EventEnvelope[] = [],
    patch: Partial<ReservationRecord> = {},
    /** A further condition on the current record; when it says no, the record is answered unchanged. */
    allowed: (current: ReservationRecord) => boolean = () => true,
  ): Promise<ReservationRecord | null> {
    const moves = (doc: ReservationDocument) => from.includes(doc.status) && allowed(fromDocument(doc));
    for (let attempt = 0; attempt < 10; attempt++) {
      // What this process last wrote is good enough to attempt the move (the write checks the version);
      // a move it does not allow is decided on a fresh read.
      const remembered = attempt === 0 ? this.lastWrites.get(id) : undefined;
      const current = remembered && moves(remembered.doc) ? remembered : await this.getRaw(id);
      if (!current) return null;
      if (!moves(current.doc)) return fromDocument(current.doc);
      const next: ReservationRecord = { ...fromDocument(current.doc), ...patch, status: to, updatedAt: new Date().toISOString() };
      const doc = toDocument(next, [...current.doc.pendingEvents, ...events]);
      try {
        const { body } = await this.opensearch.client.index({
          index: RESERVATIONS_ALIAS,
          id,
          body: doc,
          if_seq_no: current.seqNo,
          if_primary_term: current.primaryTerm,
        });
        this.lastWrites.remember(id, { doc, seqNo: body._seq_no, primaryTerm: body._primary_term });
        if (events.length) for (const l of this.listeners) l(id, doc.pendingEvents);
        return next;
      } catch (error) {
        this.lastWrites.forget(id);
        if (statusOf(error) !== 409) throw error;
      }
    }
    throw new Error(`reservation ${id} kept changing`);
  }

  /** Ids of reservations holding stock now (what a checkout may still commit or release); at most `limit`. */
  async holdingIds(limit = 10_000): Promise<string[]> {
    const { body } = await this.opensearch.client.search({
      index: RESERVATIONS_ALIAS,
      body: { size: limit, _source: false, query: { terms: { status: ['held', 'holding'] } } },
    });
    return (body.hits.hits as Array<{ _id: string }>).map((h) => h._id);
  }

  /** Held reservations whose time is up (needs a refreshed index; the sweeper runs every few seconds). */
  async expired(now: string, limit: number): Promise<string[]> {
    const { body } = await this.opensearch.client.search({
      index: RESERVATIONS_ALIAS,
      body: {
        size: limit,
        _source: false,
        query: { bool: { filter: [{ terms: { status: ['held', 'holding', 'releasing', 'committing'] } }, { range: { expiresAt: { lte: now } } }] } },
      },
    });
    return (body.hits.hits as Array<{ _id: string }>).map((h) => h._id);
  }

  private async getRaw(id: string): Promise<WrittenVersion<ReservationDocument> | null> {
    try {
      const { body } = await this.opensearch.client.get({ index: RESERVATIONS_ALIAS, id });
      return { doc: body._source as ReservationDocument, seqNo: body._seq_no!, primaryTerm: body._primary_term! };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }
}

function toDocument(record: ReservationRecord, pendingEvents: EventEnvelope[]): ReservationDocument {
  return { ...record, pendingEvents, hasPendingEvents: pendingEvents.length > 0 };
}

function fromDocument(doc: ReservationDocument): ReservationRecord {
  const { pendingEvents: _p, hasPendingEvents: _h, ...record } = doc;
  return record;
}
