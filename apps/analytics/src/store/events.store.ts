import { Inject, Injectable } from '@nestjs/common';
import type { RawEventRow, RejectedEventRow } from '../domain/events.js';
import { ANALYTICS_DATABASE, AnalyticsClickHouse } from './clickhouse.js';

/** Writes ingested batches: valid events into events_raw (the views fill the typed tables), the rest into events_rejected. */
@Injectable()
export class EventsStore {
  constructor(@Inject(AnalyticsClickHouse) private readonly store: AnalyticsClickHouse) {}

  /** Resolves once both inserts are stored. Rows keyed as before make a repeated batch harmless. */
  async insertBatch(events: RawEventRow[], rejected: RejectedEventRow[]): Promise<void> {
    const { client } = this.store;
    if (events.length > 0) await client.insert({ table: `${ANALYTICS_DATABASE}.events_raw`, values: events, format: 'JSONEachRow' });
    if (rejected.length > 0) await client.insert({ table: `${ANALYTICS_DATABASE}.events_rejected`, values: rejected, format: 'JSONEachRow' });
  }
}
