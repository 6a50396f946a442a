import type { CommandStartedEvent, MongoClient } from 'mongodb';

/**
 * Checks that every query messaging sends would be answered from an index on MongoDB: no
 * collection scan, no whole-index scan and no sort in memory. FerretDB 1.x (the test stack) has no
 * query planner to ask (see README, "Queries and indexes"), so the check applies MongoDB's rules
 * to what was really sent (command monitoring) and to the indexes the server really has.
 */

type Bound = 'eq' | 'in' | 'range' | 'other';
export type IndexKey = Array<[field: string, direction: number]>;

export interface QueryShape {
  collection: string;
  command: string;
  /** How the filter bounds each top-level field (one shape per `$or` branch). */
  fields: Record<string, Bound>;
  sort: IndexKey;
  /** The command as sent, for the failure message. */
  text: string;
}

const RANGE = new Set(['$lt', '$lte', '$gt', '$gte']);

function boundOf(value: unknown): Bound {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return 'eq';
  const ops = Object.keys(value);
  if (ops.length === 0 || !ops[0]!.startsWith('$')) return 'eq'; // an embedded document, matched whole
  if (ops.includes('$eq')) return 'eq';
  if (ops.includes('$in')) return 'in';
  if (ops.some((op) => RANGE.has(op))) return 'range';
  return 'other'; // $ne, $exists, $regex …: no bounds an index could use
}

/** The filter as one field → bound map per `$or` branch (the planner plans each branch alone). */
function branchesOf(filter: Record<string, unknown>): Array<Record<string, Bound>> {
  const fields: Record<string, Bound> = {};
  let branches: Array<Record<string, Bound>> = [{}];
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (key === '$or') branches = (value as Array<Record<string, unknown>>).flatMap(branchesOf);
    else if (!key.startsWith('$')) fields[key] = boundOf(value);
  }
  return branches.map((b) => ({ ...fields, ...b }));
}

/** The driver sends a sort as a Map (to keep its order); a hand-written command has a plain object. */
const sortOf = (sort: unknown): IndexKey =>
  sort instanceof Map ? [...(sort as Map<string, number>)] : Object.entries((sort as Record<string, number>) ?? {});

/** The shapes of the queries in one command; none for commands that do not query (insert, ping, …). */
export function shapesOf(event: Pick<CommandStartedEvent, 'commandName' | 'command'>): QueryShape[] {
  const c = event.command as Record<string, unknown>;
  const queries: Array<{ filter: Record<string, unknown>; sort?: unknown }> = [];
  switch (event.commandName) {
    case 'find':
      queries.push({ filter: c.filter as Record<string, unknown>, sort: c.sort });
      break;
    case 'count':
      queries.push({ filter: c.query as Record<string, unknown> });
      break;
    case 'findAndModify':
      queries.push({ filter: c.query as Record<string, unknown>, sort: c.sort });
      break;
    case 'update':
      for (const u of c.updates as Array<{ q: Record<string, unknown> }>) queries.push({ filter: u.q });
      break;
    case 'delete':
      for (const d of c.deletes as Array<{ q: Record<string, unknown> }>) queries.push({ filter: d.q });
      break;
    case 'aggregate': {
      const pipeline = c.pipeline as Array<Record<string, unknown>>;
      const sortStage = pipeline.find((s, i) => s.$sort && pipeline.slice(0, i).every((p) => p.$match));
      queries.push({ filter: (pipeline[0]?.$match as Record<string, unknown>) ?? {}, sort: sortStage?.$sort });
      break;
    }
    default:
      return [];
  }
  const collection = String(c[event.commandName]);
  const text = JSON.stringify(c, (k, v: unknown) =>
    ['lsid', '$clusterTime', '$db', 'documents'].includes(k) ? undefined : v instanceof Map ? Object.fromEntries(v) : v,
  );
  return queries.flatMap((q) =>
    branchesOf(q.filter).map((fields) => ({ collection, command: event.commandName, fields, sort: sortOf(q.sort), text })),
  );
}

/**
 * Whether an index with this key answers the shape without scanning: its first field is bounded
 * by the filter, and the sort (less fields pinned by equality) is the key's order once the
 * equality-pinned fields are taken out, all in the key's direction or all reversed.
 */
export function indexServes(key: IndexKey, shape: QueryShape): boolean {
  const leading = shape.fields[key[0]![0]];
  if (!leading || leading === 'other') return false;
  const pinned = (field: string) => shape.fields[field] === 'eq';
  const sort = shape.sort.filter(([field]) => !pinned(field));
  if (sort.length === 0) return true;
  const order = key.filter(([field]) => !pinned(field));
  if (order.length < sort.length) return false;
  const flip = Math.sign(sort[0]![1]) === Math.sign(order[0]![1]) ? 1 : -1;
  return sort.every(([field, dir], i) => order[i]![0] === field && Math.sign(dir) === flip * Math.sign(order[i]![1]));
}

/** Records the query shapes a client sends; the client must be connected with `monitorCommands=true`. */
export class QueryRecorder {
  readonly shapes: QueryShape[] = [];
  private readonly listener = (event: CommandStartedEvent) => this.shapes.push(...shapesOf(event));

  constructor(private readonly client: MongoClient) {
    client.on('commandStarted', this.listener);
  }

  stop(): void {
    this.client.off('commandStarted', this.listener);
  }

  /** The recorded shapes no index of the server serves, each once (with one command that had it). */
  async unserved(): Promise<string[]> {
    const db = this.client.db();
    const keys = new Map<string, IndexKey[]>();
    const problems = new Map<string, string>();
    for (const shape of this.shapes) {
      if (!keys.has(shape.collection)) {
        const indexes = await db
          .collection(shape.collection)
          .indexes()
          .catch(() => []);
        keys.set(
          shape.collection,
          indexes.map((i) => Object.entries(i.key as Record<string, number>)),
        );
      }
      if (!keys.get(shape.collection)!.some((key) => indexServes(key, shape))) {
        const signature = `${shape.command} ${shape.collection}: ${JSON.stringify(shape.fields)} sort ${JSON.stringify(shape.sort)}`;
        if (!problems.has(signature)) problems.set(signature, `${signature} — e.g. ${shape.text}`);
      }
    }
    return [...problems.values()];
  }
}

/** The same URL, with the driver's command monitoring on (what QueryRecorder listens to). */
export function withCommandMonitoring(url: string): string {
  const u = new URL(url);
  u.searchParams.set('monitorCommands', 'true');
  return u.toString();
}
