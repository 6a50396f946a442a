// The README's ownership map — the picture and the table of who owns which store, who calls whom
// and which events flow where — produced from the manifest and the event contracts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APPS, APP_NAMES, EVENT_PRODUCERS, STORE_KINDS, startOrder, type AppName } from '../../manifest.ts';
import { ROOT } from './proc.ts';

const START = '<!-- ownership-map:start (generated from manifest.ts and libs/contracts by `npm run generate`; do not edit) -->';
const END = '<!-- ownership-map:end -->';

/**
 * The event types a producer declares in `libs/contracts/src/<producer>/events.ts` (its
 * `<Name>Events` constant of `{ type, version }`), read by importing that file.
 */
export async function declaredEvents(producer: AppName): Promise<string[]> {
  const file = join(ROOT, 'libs', 'contracts', 'src', producer, 'events.ts');
  if (!existsSync(file)) return [];
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const events: string[] = [];
  for (const [name, value] of Object.entries(module)) {
    if (!name.endsWith('Events') || typeof value !== 'object' || value === null) continue;
    for (const entry of Object.values(value as Record<string, { type?: string; version?: number }>)) {
      if (entry?.type && entry.version) events.push(`${entry.type}.v${entry.version}`);
    }
  }
  return events;
}

const storeLabel = (app: AppName): string => {
  const store = APPS[app].store;
  if (!store) return 'none';
  return `${STORE_KINDS[store.kind].label}${'inProcess' in store && store.inProcess ? ' (in-process locally)' : ''}`;
};

export async function ownershipMapSection(): Promise<string> {
  const events = Object.fromEntries(await Promise.all(EVENT_PRODUCERS.map(async (p) => [p, await declaredEvents(p)] as const)));
  const lines: string[] = ['```mermaid', 'flowchart LR'];
  const edge = APP_NAMES.filter((app) => APPS[app].store === null);
  for (const app of edge) lines.push(`  client([HTTP client]) -->|REST + JWT| ${app}`);
  for (const app of startOrder()) {
    const store = APPS[app].store;
    if (store) lines.push(`  ${app} --- ${app}_store[(${STORE_KINDS[store.kind].label})]`);
  }
  for (const app of startOrder()) {
    if (APPS[app].calls.length) lines.push(`  ${app} -->|requests| ${APPS[app].calls.join(' & ')}`);
  }
  for (const producer of EVENT_PRODUCERS) {
    const consumers = APP_NAMES.filter((app) => (APPS[app].consumes as readonly string[]).includes(producer));
    if (consumers.length) lines.push(`  ${producer} -. EVENTS_${producer.toUpperCase()} .-> ${consumers.join(' & ')}`);
  }
  lines.push('```', '');
  lines.push('| app | owns | store | calls (NATS request/reply) | reads the events of | publishes on its stream |');
  lines.push('|---|---|---|---|---|---|');
  for (const app of startOrder()) {
    const spec = APPS[app];
    const list = (names: readonly string[]) => (names.length ? names.join(', ') : '—');
    const published = spec.publishesEvents ? `\`EVENTS_${app.toUpperCase()}\`: ${list(events[app] ?? [])}` : '—';
    lines.push(`| ${app} | ${spec.summary} | ${storeLabel(app)} | ${list(spec.calls)} | ${list(spec.consumes)} | ${published} |`);
  }
  return `${START}\n${lines.join('\n')}\n${END}`;
}

/** The text with its ownership-map section replaced (the markers must be there once). */
export function replaceSection(text: string, section: string): string {
  const start = text.indexOf('<!-- ownership-map:start');
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ownership-map markers (<!-- ownership-map:start … ${END})`);
  return text.slice(0, start) + section + text.slice(end + END.length);
}
