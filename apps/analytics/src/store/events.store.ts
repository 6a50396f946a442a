import { Readable } from 'node:stream';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { RawEventRow, RejectedEventRow } from '../domain/events.js';
import { ANALYTICS_DATABASE, AnalyticsClickHouse } from './clickhouse.js';

export const RAW_EVENT_COLUMNS = ['event_id', 'type', 'version', 'producer', 'occurred_at', 'user_id', 'data', 'stream', 'stream_seq'] as const;

/** TabSeparated escaping: backslash, tab and line breaks. */
const escapeTsv = (text: string): string =>
  /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : text;

/**
 * `data` is JSON.stringify's output, which writes tabs and line breaks inside strings as escapes:
 * of TabSeparated's special characters only a backslash can occur (checked at native speed).
 */
const escapeJsonTsv = (json: string): string => (json.includes('\\') ? json.replaceAll('\\', '\\\\') : json);

/**
 * Rows as TabSeparated text: far cheaper than JSONEachRow for both sides, as `data` (JSON text)
 * then needs no escaping inside another JSON document.
 */
export function rawEventsTsv(rows: readonly RawEventRow[]): string {
  let out = '';
  for (const r of rows) {
    out += `${r.event_id}\t${escapeTsv(r.type)}\t${r.version}\t${r.producer}\t${r.occurred_at}\t${r.user_id ?? '\\N'}\t${escapeJsonTsv(r.data)}\t${escapeTsv(r.stream)}\t${r.stream_seq}\n`;
  }
  return out;
}

/** Writes ingested batches: valid events into events_raw (the views fill the typed tables), the rest into events_rejected. */
@Injectable()
export class EventsStore {
  constructor(
    @Inject(AnalyticsClickHouse) private readonly store: AnalyticsClickHouse,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'events', metrics);
  }

  /** Resolves once both inserts are stored. Rows keyed as before make a repeated batch harmless. */
  async insertBatch(events: RawEventRow[], rejected: RejectedEventRow[]): Promise<void> {
    const { client } = this.store;
    if (events.length > 0) {
      await client.insert({
        table: `${ANALYTICS_DATABASE}.events_raw`,
        columns: [...RAW_EVENT_COLUMNS],
        // A text stream (encoding set): the text stays a string all the way to chdb, which wants a string
        // (a byte stream would be encoded to a Buffer here and decoded back to a string there).
        values: Readable.from([rawEventsTsv(events)], { objectMode: false, encoding: 'utf8' }),
        format: 'TabSeparated',
      });
    }
    if (rejected.length > 0) await client.insert({ table: `${ANALYTICS_DATABASE}.events_rejected`, values: rejected, format: 'JSONEachRow' });
  }
}
