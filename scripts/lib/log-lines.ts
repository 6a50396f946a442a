// Turns an app's JSON log line (libs/platform's JsonLogger: pino) into one readable, coloured line
// for the terminal of `npm start`. Lines that are not such JSON are printed as they are.

const LEVEL_COLOUR: Record<string, number> = { trace: 90, debug: 90, info: 32, warn: 33, error: 31, fatal: 35 };
/** Fields shown in the line's own places, not repeated at its end. */
const SHOWN = new Set([
  'level',
  'time',
  'msg',
  'service',
  'context',
  'trace_id',
  'span_id',
  'request_id',
  'event_id',
  'pid',
  'hostname',
  'stack',
  'err',
]);

export function prettyLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry.level !== 'string' || !('msg' in entry || 'err' in entry)) return line;
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = entry.level;
  const colour = LEVEL_COLOUR[level] ?? 0;
  const context = typeof entry.context === 'string' ? `\x1b[2m[${entry.context}]\x1b[0m ` : '';
  const extra = Object.entries(entry)
    .filter(([key]) => !SHOWN.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const ids = [
    typeof entry.request_id === 'string' ? `req=${entry.request_id.slice(0, 8)}` : '',
    typeof entry.event_id === 'string' ? `event=${entry.event_id}` : '',
    typeof entry.trace_id === 'string' ? `trace=${entry.trace_id}` : '',
  ].filter(Boolean);
  const stack =
    typeof entry.stack === 'string'
      ? `\n${entry.stack}`
      : (entry.err as { stack?: string } | undefined)?.stack
        ? `\n${(entry.err as { stack: string }).stack}`
        : '';
  const tail = [...extra, ...ids].join(' ');
  return `\x1b[2m${time}\x1b[0m \x1b[${colour}m${level.toUpperCase().padEnd(5)}\x1b[0m ${context}${String(entry.msg ?? '')}${tail ? ` \x1b[2m${tail}\x1b[0m` : ''}${stack}`;
}
