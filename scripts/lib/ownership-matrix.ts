// The ownership matrix: every service's store login against every service's store, and every
// app's NATS user against every app's subject spaces, tried for real on a running stack; what the
// manifest says should happen beside what the engine did. `npm run ownership:matrix` prints it,
// test/ownership/ownership-matrix.int-spec.ts asserts it. Services, stores and subject spaces all
// come from the manifest.
import { readFileSync } from 'node:fs';
import { APPS, APP_NAMES, EVENT_PRODUCERS, SERVICE_NAMES, STORE_KINDS, type AppName, type ServiceName } from '../../manifest.ts';
import { portOpen } from './proc.ts';
import { natsCredentials, natsUrl, openSearchCaFile, serviceCredentials, serviceLogin, type Stack } from './stack.ts';
import { openSearchRequest } from './stores/opensearch-security.ts';

export type Verdict = 'allowed' | 'refused' | 'no listener';

export interface Cell {
  /** Whose credentials: a service (store logins) or an app (NATS users), or `none`. */
  credential: string;
  /** A service's store, or a NATS subject space (`call users`, `events.users` …). */
  target: string;
  expected: Verdict;
  actual: Verdict;
  /** What the engine answered (its error, briefly). */
  detail: string;
}

const NONE = 'none';
const brief = (error: unknown) =>
  String((error as Error)?.message ?? error)
    .split('\n')[0]
    .slice(0, 90);

// ---------------------------------------------------------------- stores

/** Tries a read on `owner`'s store with the store login of `holder` (null: no credentials); allowed, or refused and why. */
async function tryStore(s: Stack, owner: ServiceName, holder: ServiceName | null): Promise<[Verdict, string]> {
  const { spec, port } = s.stores[owner];
  const own = serviceLogin(owner);
  const login = holder ? serviceCredentials(s, holder) : null;
  if (spec.inProcess) {
    // In-process engine (chdb): nothing listens, so no credential reaches it from outside its owner.
    return (await portOpen(port)) ? ['allowed', `something listens on ${port}`] : ['no listener', 'in-process engine, no port'];
  }
  try {
    switch (spec.kind) {
      case 'postgres': {
        const { default: pg } = await import('pg');
        const client = new pg.Client({
          host: '127.0.0.1',
          port,
          user: login?.user ?? own.user,
          password: login?.password ?? '',
          database: own.database,
          connectionTimeoutMillis: 5000,
        });
        try {
          await client.connect();
          await client.query('select 1');
        } finally {
          await client.end().catch(() => undefined);
        }
        return ['allowed', 'select 1'];
      }
      case 'redis': {
        const { Redis } = await import('ioredis');
        const client = new Redis({
          host: '127.0.0.1',
          port,
          username: login?.user,
          password: login?.password,
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
          enableReadyCheck: false,
        });
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.get(`${own.keyPrefix}ownership-probe`);
        } finally {
          client.disconnect();
        }
        return ['allowed', `GET ${own.keyPrefix}…`];
      }
      case 'mongodb': {
        const { MongoClient } = await import('mongodb');
        const auth = login ? `${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}@` : '';
        // A service's user lives in its own database (authSource), as the service connects.
        const source = login ? `?authSource=${login.database}` : '';
        const client = new MongoClient(`mongodb://${auth}127.0.0.1:${port}/${own.database}${source}`, { serverSelectionTimeoutMS: 5000 });
        try {
          await client.connect();
          await client.db(own.database).collection('ownership_probe').findOne({});
        } finally {
          await client.close();
        }
        return ['allowed', `find in ${own.database}`];
      }
      case 'opensearch': {
        const endpoint = { url: `https://127.0.0.1:${port}`, ca: readFileSync(openSearchCaFile(s.dataDir, owner)), login };
        const res = await openSearchRequest(endpoint, 'GET', `/${owner}-*/_search?size=0&allow_no_indices=true`);
        if (res.status === 200) return ['allowed', `search ${owner}-*`];
        return ['refused', `HTTP ${res.status}`];
      }
      case 'clickhouse':
        return ['refused', 'ClickHouse as a server is not run on local stacks'];
    }
  } catch (error) {
    return ['refused', brief(error)];
  }
}

/** Each service's store login (and none) against each service's store. */
export async function storeMatrix(s: Stack): Promise<Cell[]> {
  const cells: Cell[] = [];
  const holders: Array<ServiceName | null> = [...SERVICE_NAMES, null];
  for (const owner of s.services) {
    const target = `${owner} (${STORE_KINDS[APPS[owner].store.kind].label})`;
    for (const holder of holders) {
      const credential = holder ?? NONE;
      const [actual, detail] = await tryStore(s, owner, holder);
      const expected: Verdict = s.stores[owner].spec.inProcess ? 'no listener' : credential === owner ? 'allowed' : 'refused';
      cells.push({ credential, target, expected, actual, detail });
    }
  }
  return cells;
}

// ---------------------------------------------------------------- NATS subject spaces

interface NatsProbe {
  target: string;
  /** What the manifest lets `app` do here. */
  expected(app: AppName): boolean;
  /** The subject whose permission decides it (the server names it in a violation). */
  subject: string;
  /** Tries it; resolves with what came back that shows the server let it through, or null. */
  run(nc: import('@nats-io/transport-node').NatsConnection): Promise<string | null>;
}

/** A request's answer, or its error, as evidence: a refused publish gets neither (it times out). */
async function answer(request: Promise<{ string(): string }>): Promise<string | null> {
  try {
    return `answered: ${(await request).string().slice(0, 60)}`;
  } catch (error) {
    const message = brief(error);
    return /no responders|503/i.test(message) ? 'no responders (delivered, nobody serves it)' : null;
  }
}

/**
 * The subject spaces of each app, and what the manifest says about them: requests to `<app>.>`
 * (who may call it, who may serve it), its event stream (who may publish into it, who may read it).
 * Probes store nothing: a request nobody serves, a subscription dropped at once, an event the
 * stream refuses for a header that names no stream, a stream-info request.
 */
function natsProbes(): NatsProbe[] {
  const probes: NatsProbe[] = [];
  for (const space of APP_NAMES) {
    const servesRequests = APPS[space].store !== null;
    if (servesRequests) {
      // Two subjects in the space: the apps are tried side by side, and a call must not reach the
      // owner's probe subscription (it would never answer) instead of finding no responders.
      const callSubject = `${space}.ownership-call-probe.v1`;
      const serveSubject = `${space}.ownership-serve-probe.v1`;
      probes.push({
        target: `call ${space}`,
        expected: (app) => (APPS[app].calls as readonly string[]).includes(space),
        subject: callSubject,
        run: (nc) => answer(nc.request(callSubject, '', { timeout: 2000 })),
      });
      probes.push({
        target: `serve ${space}`,
        expected: (app) => app === space,
        subject: serveSubject,
        run: async (nc) => {
          const sub = nc.subscribe(serveSubject, { queue: space });
          await nc.flush();
          // A refused subscription is reported asynchronously (below); an allowed one just stays.
          return sub.isClosed() ? null : 'subscribed';
        },
      });
    }
  }
  for (const producer of EVENT_PRODUCERS) {
    const stream = `EVENTS_${producer.toUpperCase()}`;
    const eventSubject = `events.${producer}.OwnershipProbe.v1`;
    probes.push({
      target: `publish events.${producer}`,
      expected: (app) => app === producer,
      subject: eventSubject,
      run: async (nc) => {
        const { headers } = await import('@nats-io/transport-node');
        const h = headers();
        // JetStream refuses (and does not store) a message expecting another stream.
        h.set('Nats-Expected-Stream', 'polystore-ownership-probe');
        return answer(nc.request(eventSubject, '{}', { timeout: 2000, headers: h }));
      },
    });
    const infoSubject = `$JS.API.STREAM.INFO.${stream}`;
    probes.push({
      target: `read ${stream}`,
      expected: (app) => app === producer || (APPS[app].consumes as readonly string[]).includes(producer),
      subject: infoSubject,
      run: (nc) => answer(nc.request(infoSubject, '', { timeout: 2000 })),
    });
  }
  return probes;
}

/** Each app's NATS user (and none) against each subject space. */
export async function natsMatrix(s: Stack): Promise<Cell[]> {
  const { connect } = await import('@nats-io/transport-node');
  const probes = natsProbes();
  const cells: Cell[] = [];
  const rows = await Promise.all(
    APP_NAMES.map(async (app) => {
      const { user, password } = natsCredentials(s, app);
      const nc = await connect({
        servers: natsUrl(s),
        user,
        pass: password,
        inboxPrefix: `_INBOX_${app}`,
        name: `ownership-matrix-${app}`,
        reconnect: false,
      });
      const violations: string[] = [];
      void (async () => {
        for await (const status of nc.status())
          if (status.type === 'error') violations.push(String((status as { error?: Error }).error?.message ?? ''));
      })();
      let evidence: Array<string | null>;
      try {
        evidence = await Promise.all(probes.map((p) => p.run(nc)));
        await nc.flush();
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        await nc.close();
      }
      return probes.map((p, i): Cell => {
        const violation = violations.find((v) => /Permissions Violation/i.test(v) && v.includes(`"${p.subject}"`) && sameKind(v, p));
        // Allowed needs both: no violation reported, and an answer that shows it got through.
        const actual: Verdict = violation || !evidence[i] ? 'refused' : 'allowed';
        return {
          credential: app,
          target: p.target,
          expected: p.expected(app) ? 'allowed' : 'refused',
          actual,
          detail: violation ? brief(violation) : (evidence[i] ?? 'no answer'),
        };
      });
    }),
  );
  for (const row of rows) cells.push(...row);
  // No credentials: the server refuses the connection itself, so every space is out of reach.
  let anonymous: Verdict = 'allowed';
  let detail = 'connected';
  try {
    const nc = await connect({ servers: natsUrl(s), reconnect: false });
    await nc.close();
  } catch (error) {
    anonymous = 'refused';
    detail = brief(error);
  }
  for (const p of probes) cells.push({ credential: NONE, target: p.target, expected: 'refused', actual: anonymous, detail });
  return cells;
}

/** A violation for a subscription only counts against `serve`, one for a publish against the others. */
function sameKind(violation: string, probe: NatsProbe): boolean {
  const subscription = /for Subscription/i.test(violation);
  return probe.target.startsWith('serve ') ? subscription : !subscription;
}

// ---------------------------------------------------------------- the table

const MARK: Record<Verdict, string> = { allowed: 'allowed', refused: 'refused', 'no listener': 'no listener' };

/**
 * A table, credentials as rows and targets as columns (or the other way round with `byTarget`,
 * for many targets). A cell shows the verdict, with `!` where it is not the manifest's.
 */
export function formatMatrix(title: string, cells: Cell[], { byTarget = false } = {}): string {
  const credentials = [...new Set(cells.map((c) => c.credential))];
  const targets = [...new Set(cells.map((c) => c.target))];
  const [rowKeys, columnKeys] = byTarget ? [targets, credentials] : [credentials, targets];
  const header = [byTarget ? 'target \\ credential' : 'credential \\ target', ...columnKeys];
  const rows = rowKeys.map((rowKey) => [
    rowKey,
    ...columnKeys.map((columnKey) => {
      const [credential, target] = byTarget ? [columnKey, rowKey] : [rowKey, columnKey];
      const cell = cells.find((c) => c.credential === credential && c.target === target);
      if (!cell) return '';
      return cell.actual === cell.expected ? MARK[cell.actual] : `! ${MARK[cell.actual]} (expected ${MARK[cell.expected]})`;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cols: string[]) => `| ${cols.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [title, line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The cells where the engine did not do what the manifest says. */
export const mismatches = (cells: Cell[]): Cell[] => cells.filter((c) => c.actual !== c.expected);
