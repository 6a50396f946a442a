import { classify } from '../domain/events.js';
import { RAW_EVENT_COLUMNS, rawEventsTsv } from './events.store.js';

/** Reads TabSeparated back as ClickHouse does: \\ \t \n \r \N escapes, one row per line. */
const unescape = (field: string): string | null =>
  field === '\\N' ? null : field.replace(/\\(.)/g, (_m, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] ?? c);

describe('events_raw rows as TabSeparated (unit)', () => {
  it('keeps every row on its line and every field, backslashes, quotes and line breaks inside strings included', () => {
    const tricky = ['a\\b', 'tab\there', 'line\nbreak', 'cr\rhere', 'quote"d', 'unicode\u2028sep', 'back\\\\slashes\\'];
    const rows = tricky.map((text, i) => {
      const result = classify({
        stream: 'EVENTS_MESSAGING',
        subject: 'events.messaging.MessageSent.v1',
        streamSeq: i + 1,
        body: JSON.stringify({
          id: `0190a000-0000-7000-8000-00000000000${i}`,
          type: 'MessageSent',
          version: 1,
          occurredAt: '2026-11-21T10:00:00.000Z',
          producer: 'messaging',
          data: { text },
        }),
      });
      if (!result.ok) throw new Error(result.row.reason);
      return result.row;
    });
    const lines = rawEventsTsv(rows).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(rows.length);
    lines.forEach((line, i) => {
      const fields = line.split('\t').map(unescape);
      expect(fields).toHaveLength(RAW_EVENT_COLUMNS.length);
      const data = fields[RAW_EVENT_COLUMNS.indexOf('data')]!;
      expect(data).toBe(rows[i]!.data);
      expect((JSON.parse(data) as { text: string }).text).toBe(tricky[i]);
    });
  });
});
