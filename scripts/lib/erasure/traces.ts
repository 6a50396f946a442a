// Where a person still appears: each service's store searched with that service's own login (the
// in-process ClickHouse by an engine of its own on the stopped service's folder), and every JetStream
// stream with the operators' NATS user. Used by the erasure test, and by an operator checking an
// erasure by hand. Reads everything: meant for test stacks and spot checks, not for big stores.
import { fileURLToPath } from 'node:url';
import { execute } from '../proc.ts';
import { opsNatsOptions, serviceCredentials, serviceLogin, type Stack } from '../stack.ts';
import { provisionerOf } from '../stores/index.ts';
import { storeDataDir } from '../stores/provisioner.ts';
import type { ServiceName } from '../../../manifest.ts';

/** One place (table, collection, index, key family, stream) and how many of its records hold the needle. */
export interface Trace {
  service: ServiceName | 'events';
  where: string;
  needle: string;
  count: number;
}

const ENGINE_SCRIPT = fileURLToPath(new URL('../backup/clickhouse-engine.ts', import.meta.url));

const ownerUrl = (s: Stack, service: ServiceName, scheme: string): string => {
  const env = provisionerOf(s, service).connection(s, service).ownerEnv;
  const url = Object.values(env).find((value) => value.startsWith(scheme));
  if (!url) throw new Error(`no ${scheme} URL among ${service}'s store variables`);
  return url;
};

const holds = (text: string, needle: string) => text.toLowerCase().includes(needle.toLowerCase());

function count(service: ServiceName | 'events', where: string, texts: string[], needles: string[]): Trace[] {
  return needles.map((needle) => ({ service, where, needle, count: texts.filter((t) => holds(t, needle)).length }));
}

async function postgres(s: Stack, service: ServiceName, needles: string[]): Promise<Trace[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: ownerUrl(s, service, 'postgresql://') });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const traces: Trace[] = [];
    for (const { name } of tables.rows) {
      for (const needle of needles) {
        const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}" t WHERE strpos(lower(t::text), lower($1)) > 0`, [
          needle,
        ]);
        traces.push({ service, where: name, needle, count: Number(rows[0]!.n) });
      }
    }
    return traces;
  } finally {
    await client.end();
  }
}

async function redis(s: Stack, service: ServiceName, needles: string[]): Promise<Trace[]> {
  const { Redis } = await import('ioredis');
  const client = new Redis(ownerUrl(s, service, 'redis://'), { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    const byFamily = new Map<string, string[]>();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${serviceLogin(service).keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await client.type(key);
        const value =
          type === 'string'
            ? await client.get(key)
            : type === 'hash'
              ? JSON.stringify(await client.hgetall(key))
              : type === 'list'
                ? JSON.stringify(await client.lrange(key, 0, -1))
                : type === 'set'
                  ? JSON.stringify(await client.smembers(key))
                  : type === 'zset'
                    ? JSON.stringify(await client.zrange(key, '0', '-1'))
                    : '';
        const family = key.split(':').slice(0, 2).join(':');
        byFamily.set(family, [...(byFamily.get(family) ?? []), `${key} ${value ?? ''}`]);
      }
    } while (cursor !== '0');
    return [...byFamily].flatMap(([family, texts]) => count(service, `${family}:*`, texts, needles));
  } finally {
    client.disconnect();
  }
}

async function mongodb(s: Stack, service: ServiceName, needles: string[]): Promise<Trace[]> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(ownerUrl(s, service, 'mongodb://'), { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  try {
    const db = client.db(serviceLogin(service).database);
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !n.startsWith('system.'));
    const traces: Trace[] = [];
    for (const name of names.sort()) {
      const texts = (await db.collection(name).find({}).toArray()).map((doc) => JSON.stringify(doc));
      traces.push(...count(service, name, texts, needles));
    }
    return traces;
  } finally {
    await client.close();
  }
}

async function opensearch(s: Stack, service: ServiceName, needles: string[]): Promise<Trace[]> {
  const { openSearchRequest } = await import('../stores/opensearch-security.ts');
  const { openSearchAdmin } = await import('../stores/opensearch.ts');
  // The service's own login (its role covers its indices only), over the node's TLS.
  const endpoint = { ...openSearchAdmin(s, service), login: serviceCredentials(s, service) };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await openSearchRequest(endpoint, method, path, body, 60_000);
    if (res.status >= 300) throw new Error(`OpenSearch ${method} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body as Record<string, unknown>;
  };
  const pattern = `${service},${service}-*`;
  const lenient = 'ignore_unavailable=true&allow_no_indices=true';
  await call('POST', `/${pattern}/_refresh?${lenient}`);
  const traces: Trace[] = [];
  const byIndex = new Map<string, string[]>();
  let page = await call('POST', `/${pattern}/_search?scroll=1m&${lenient}`, { size: 1000, query: { match_all: {} } });
  for (;;) {
    const hits = (page.hits as { hits: Array<{ _index: string; _id: string; _source: unknown }> }).hits;
    if (hits.length === 0) break;
    for (const hit of hits) byIndex.set(hit._index, [...(byIndex.get(hit._index) ?? []), `${hit._id} ${JSON.stringify(hit._source)}`]);
    page = await call('POST', '/_search/scroll', { scroll: '1m', scroll_id: page._scroll_id });
  }
  for (const [index, texts] of byIndex) traces.push(...count(service, index, texts, needles));
  return traces;
}

/** ClickHouse in-process: the service must be stopped (its engine binds the folder). */
async function clickhouse(s: Stack, service: ServiceName, needles: string[]): Promise<Trace[]> {
  const args = [ENGINE_SCRIPT, 'find', storeDataDir(s, service), serviceLogin(service).database, JSON.stringify(needles)];
  const finished = await execute(process.execPath, ['--no-warnings', ...args], { timeoutMs: 600_000 });
  if (finished.code !== 0)
    throw new Error(`ClickHouse find failed (is ${service} stopped?): ${finished.output.trim().split('\n').slice(-5).join('\n')}`);
  const found = JSON.parse(finished.stdout.trim().split('\n').pop() as string) as Array<{ where: string; needle: string; count: number }>;
  return found.map((t) => ({ service, ...t }));
}

const BY_KIND = { postgres, redis, mongodb, opensearch, clickhouse } as const;

/** Every record of the service's store that holds one of the needles, per table/collection/index/key family. */
export function findInStore(s: Stack, service: ServiceName, needles: string[]): Promise<Trace[]> {
  return BY_KIND[s.stores[service].spec.kind](s, service, needles);
}

/** Every message on JetStream (each stream, dead letters included) that holds one of the needles. */
export async function findInStreams(s: Stack, needles: string[]): Promise<Trace[]> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect(opsNatsOptions(s));
  try {
    const jsm = await jetstreamManager(nc);
    const traces: Trace[] = [];
    for await (const info of jsm.streams.list()) {
      const stream = info.config.name;
      const last = info.state.last_seq;
      const texts: string[] = [];
      if (info.state.messages > 0) {
        const consumer = await jetstream(nc).consumers.get(stream);
        for (let seq = 0; seq < last;) {
          const batch = await consumer.fetch({ max_messages: 1000, expires: 2_000 });
          let got = 0;
          for await (const m of batch) {
            texts.push(`${m.subject} ${m.string()}`);
            seq = m.seq;
            got++;
          }
          if (got === 0) break;
        }
      }
      traces.push(...count('events', stream, texts, needles));
    }
    return traces;
  } finally {
    await nc.close();
  }
}
