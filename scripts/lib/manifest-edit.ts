// Adding a service to manifest.ts: the entry itself, free ports on both stacks, and the edge's
// `calls` (the gateway asks every service for its health). Text edits, so the file keeps its
// comments and layout; the result is checked by loading it again.
import { APPS, APP_NAMES, INFRASTRUCTURE, STORE_KINDS, type AppSpec, type StackPorts, type StoreKind } from '../../manifest.ts';

/** Every port the manifest uses, on either stack. */
function usedPorts(): Set<number> {
  const used = new Set<number>();
  const add = (pair: StackPorts | undefined) => {
    if (pair) for (const port of Object.values(pair)) used.add(port);
  };
  add(INFRASTRUCTURE.nats.port);
  add(INFRASTRUCTURE.nats.monitorPort);
  for (const name of APP_NAMES) {
    const app: AppSpec = APPS[name];
    add(app.httpPort);
    add(app.store?.port);
    add(app.store?.backendPort);
  }
  return used;
}

/** The next pair of free ports after the highest pair of the same family (dev, test). */
function nextPair(family: StackPorts[], used: Set<number>, fallback: StackPorts): StackPorts {
  const base = family.length ? family.reduce((a, b) => (b.dev > a.dev ? b : a)) : fallback;
  for (let step = family.length ? 1 : 0; step < 500; step++) {
    const pair = { dev: base.dev + step, test: base.test + step };
    if (!used.has(pair.dev) && !used.has(pair.test) && pair.dev !== pair.test) {
      used.add(pair.dev);
      used.add(pair.test);
      return pair;
    }
  }
  throw new Error('no free ports near the existing ones');
}

/** Where a store kind's first server listens, when no service has one yet. */
const FIRST_STORE_PORTS: Record<StoreKind, StackPorts> = {
  postgres: { dev: 55432, test: 55433 },
  redis: { dev: 56379, test: 56380 },
  opensearch: { dev: 59200, test: 59210 },
  clickhouse: { dev: 58123, test: 58124 },
  mongodb: { dev: 57017, test: 57018 },
};

export interface NewServicePorts {
  httpPort: StackPorts;
  storePort: StackPorts;
  backendPort?: StackPorts;
}

export function allocatePorts(kind: StoreKind): NewServicePorts {
  const used = usedPorts();
  const services = APP_NAMES.map((name) => APPS[name] as AppSpec).filter((app) => app.store !== null);
  const httpPort = nextPair(
    services.map((app) => app.httpPort),
    used,
    { dev: 3101, test: 3911 },
  );
  const sameKind = services.filter((app) => app.store!.kind === kind);
  // Stores of one kind sit side by side (users' PostgreSQL 55432/55433, the next 55434/55435…).
  const storePort = nextPair(
    sameKind.map((app) => app.store!.port).map((p) => ({ dev: Math.max(p.dev, p.test), test: Math.max(p.dev, p.test) + 1 })),
    used,
    FIRST_STORE_PORTS[kind],
  );
  if (kind !== 'mongodb') return { httpPort, storePort };
  const backends = sameKind.flatMap((app) => (app.store!.backendPort ? [app.store!.backendPort] : []));
  const backendPort = nextPair(
    backends.map((p) => ({ dev: Math.max(p.dev, p.test), test: Math.max(p.dev, p.test) + 1 })),
    used,
    { dev: 57432, test: 57433 },
  );
  return { httpPort, storePort, backendPort };
}

const pair = (p: StackPorts) => `{ dev: ${p.dev}, test: ${p.test} }`;

/** ANSI colours for log prefixes, taken in turn by new services. */
const LOG_COLORS = [36, 35, 33, 34, 32, 96, 95, 93, 94, 92, 91, 31];

/** The manifest's text with a new service added (and the edge calling it). */
export function addServiceToManifest(text: string, name: string, kind: StoreKind, summary: string, ports: NewServicePorts): string {
  if (!(kind in STORE_KINDS)) throw new Error(`unknown store kind ${kind}`);
  const taken = new Set<number>(APP_NAMES.map((app) => APPS[app].logColor));
  const logColor = LOG_COLORS.find((c) => !taken.has(c)) ?? 37;
  const extras = [kind === 'clickhouse' ? 'inProcess: true' : '', ports.backendPort ? `backendPort: ${pair(ports.backendPort)}` : ''].filter(Boolean);
  const entry = `  ${name}: {
    summary: '${summary.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}',
    store: { kind: '${kind}', port: ${pair(ports.storePort)}${extras.map((e) => `, ${e}`).join('')} },
    envPrefix: '${name.toUpperCase()}',
    httpPort: ${pair(ports.httpPort)},
    publishesEvents: false,
    calls: [],
    consumes: [],
    holdsUserData: false,
    references: [],
    logColor: ${logColor},
  },
`;
  // The new entry goes before the edge's (the app without a store), which stays last.
  const edges = APP_NAMES.filter((app) => APPS[app].store === null);
  const anchor = edges.length ? `  ${edges[0]}: {\n` : '} as const satisfies Record<string, AppSpec>;';
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`manifest.ts: could not find where to add the entry (${anchor.trim()})`);
  let next = text.slice(0, at) + entry + text.slice(at);
  for (const edge of edges) {
    // The edge asks every service for its health, so it may call each.
    const block = next.indexOf(`  ${edge}: {\n`);
    const callsAt = next.indexOf('calls: [', block);
    const end = next.indexOf(']', callsAt);
    if (block < 0 || callsAt < 0 || end < 0) throw new Error(`manifest.ts: could not find ${edge}'s calls`);
    // Formatted one per line, the list ends with a comma: add after it, not a second one.
    const current = next
      .slice(callsAt + 'calls: ['.length, end)
      .trim()
      .replace(/,$/, '');
    next = `${next.slice(0, callsAt)}calls: [${current ? `${current}, ` : ''}'${name}'${next.slice(end)}`;
  }
  return next;
}
