// Usage per service (`npm run usage`): the figures every app serves on /metrics — its store's
// bytes on disk, items and index bytes, its event stream's bytes and messages, and the requests it
// has handled since it started — read from the running apps and put side by side.
import { APPS } from '../../manifest.ts';
import { APP_NAMES, type AppName, type Stack } from './stack.ts';

export interface AppUsage {
  app: AppName;
  /** The app's HTTP port answered. */
  up: boolean;
  store: string | null;
  diskBytes: number | null;
  items: number | null;
  itemKind: string | null;
  indexBytes: number | null;
  streamBytes: number | null;
  streamMessages: number | null;
  /** Requests answered since start: NATS requests for a service, HTTP requests for the gateway. */
  requests: number | null;
  uptimeSeconds: number | null;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments and blank lines skipped). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

const sum = (samples: Sample[], name: string): number | null => {
  const found = samples.filter((s) => s.name === name);
  return found.length ? found.reduce((total, s) => total + s.value, 0) : null;
};

export function usageOf(app: AppName, samples: Sample[], now = Date.now()): AppUsage {
  const items = samples.find((s) => s.name === 'store_items');
  const started = sum(samples, 'process_start_time_seconds');
  // Only answered requests count: the gateway's HTTP requests, a service's NATS requests. /metrics
  // and /health scrapes of a service's small HTTP port are not work it was asked for.
  const requests =
    APPS[app].store === null ? sum(samples, 'http_server_request_duration_seconds_count') : (sum(samples, 'rpc_server_duration_seconds_count') ?? 0);
  return {
    app,
    up: true,
    store: APPS[app].store?.kind ?? null,
    diskBytes: sum(samples, 'store_disk_bytes'),
    items: items?.value ?? null,
    itemKind: items?.labels.kind ?? null,
    indexBytes: sum(samples, 'store_index_bytes'),
    streamBytes: sum(samples, 'event_stream_bytes'),
    streamMessages: sum(samples, 'event_stream_messages'),
    requests,
    uptimeSeconds: started === null ? null : Math.max(0, Math.round(now / 1_000 - started)),
  };
}

/** Scrapes every app of the stack (in parallel, 5 s each); an app that does not answer is reported down. */
export async function readUsage(s: Stack): Promise<AppUsage[]> {
  return Promise.all(
    APP_NAMES.map(async (app): Promise<AppUsage> => {
      try {
        const res = await fetch(`http://127.0.0.1:${s.ports[app]}/metrics`, { signal: AbortSignal.timeout(5_000) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return usageOf(app, parseExposition(await res.text()));
      } catch {
        return { ...usageOf(app, []), up: false, requests: null, uptimeSeconds: null };
      }
    }),
  );
}

const bytes = (n: number | null): string => {
  if (n === null) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
};
const count = (n: number | null): string => (n === null ? '-' : n.toLocaleString('en-US'));

/** A fixed-width table, one row per app. */
export function renderUsage(rows: AppUsage[]): string {
  const header = ['app', 'store', 'on disk', 'items', 'index', 'stream', 'stream msgs', 'requests', 'uptime'];
  const lines = rows.map((r) =>
    r.up
      ? [
          r.app,
          r.store ?? '-',
          bytes(r.diskBytes),
          r.items === null ? '-' : `${count(r.items)} ${r.itemKind}`,
          bytes(r.indexBytes),
          bytes(r.streamBytes),
          count(r.streamMessages),
          count(r.requests),
          r.uptimeSeconds === null ? '-' : `${r.uptimeSeconds} s`,
        ]
      : [r.app, r.store ?? '-', 'not running', '', '', '', '', '', ''],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}
