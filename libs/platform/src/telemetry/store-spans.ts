import { context, type Span } from '@opentelemetry/api';
import { SpanKind, inSpan, recordFailure, recordingIn, tracer } from './tracing.js';

/**
 * CLIENT spans for the store drivers that have no OpenTelemetry instrumentation: the OpenSearch
 * client (products) and @clickhouse/client over chdb (analytics). pg, ioredis and mongodb are
 * patched by the instrumentations register.ts loads. The drivers are described here by the
 * little of their shape these functions use, so that libs/platform imports no driver.
 *
 * Like the instrumentations (requireParentSpan), a call makes a span only inside a recorded trace:
 * the relays' polls and the start-up's schema steps do not each start a trace of their own, and an
 * unsampled request's store calls cost nothing here.
 */

/** Replaces the literals of a SQL statement (strings, numbers) with `?`; a statement's shape stays, its values go. */
export function sanitizeSql(statement: string): string {
  return statement
    .replace(/'(?:[^'\\]|\\.|'')*'/g, '?')
    .replace(/(?<![\w.$])-?\d+(?:\.\d+)?(?![\w.])/g, '?')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 2_000);
}

interface OpenSearchEventResult {
  statusCode?: number | null;
  meta?: { request?: { id?: unknown; params?: { method?: string; path?: string } } };
}
/** The OpenSearch client's diagnostic events (`request` before each attempt is sent, `response` at the end). */
export interface OpenSearchEvents {
  on(event: 'request' | 'response', listener: (error: unknown, result: OpenSearchEventResult | null) => void): unknown;
}

/**
 * A span per OpenSearch API call, from the client's own `request`/`response` events: named
 * `<operation> <index>` (`_search products`), with the HTTP method, status and index. Bodies
 * (documents, queries) are not recorded.
 */
export function traceOpenSearchClient(client: OpenSearchEvents): void {
  const open = new Map<unknown, Span>();
  client.on('request', (_error, result) => {
    const id = result?.meta?.request?.id;
    if (id === undefined || open.has(id) || !recordingIn()) return; // a retry stays in the first attempt's span
    const { method = 'GET', path = '/' } = result?.meta?.request?.params ?? {};
    const segments = path.split('/').filter(Boolean);
    const index = segments[0] && !segments[0].startsWith('_') ? decodeURIComponent(segments[0]) : undefined;
    const operation = segments.find((segment) => segment.startsWith('_')) ?? (index ? 'index' : method);
    const span = tracer.startSpan(
      index ? `${operation} ${index}` : operation,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'opensearch',
          'db.operation.name': operation,
          'http.request.method': method,
          ...(index ? { 'db.collection.name': index } : {}),
        },
      },
      context.active(),
    );
    open.set(id, span);
  });
  client.on('response', (error, result) => {
    const id = result?.meta?.request?.id;
    const span = open.get(id);
    if (!span) return;
    open.delete(id);
    const status = result?.statusCode;
    if (typeof status === 'number') span.setAttribute('http.response.status_code', status);
    // A 404 or 409 is an answer (no such document, a version conflict) the caller handles, not a failure.
    if (error && (typeof status !== 'number' || status >= 500)) recordFailure(span, error);
    span.end();
  });
}

interface ClickHouseCall {
  query?: string;
  table?: string;
}
type ClickHouseMethod = (params: ClickHouseCall & Record<string, unknown>) => Promise<unknown>;
/** The methods of @clickhouse/client's client that reach the store. */
export interface ClickHouseCalls {
  query: ClickHouseMethod;
  insert: ClickHouseMethod;
  command: ClickHouseMethod;
  exec: ClickHouseMethod;
}

/**
 * A span per ClickHouse call (query, insert, command, exec) on this client: the statement with
 * its literals replaced (sanitizeSql), or for an insert its table; never the rows.
 */
export function traceClickHouseClient<T extends ClickHouseCalls>(client: T): T {
  for (const method of ['query', 'insert', 'command', 'exec'] as const) {
    const original = client[method].bind(client) as ClickHouseMethod;
    const traced: ClickHouseMethod = (params) => {
      if (!recordingIn()) return original(params);
      const statement = typeof params?.query === 'string' ? sanitizeSql(params.query) : undefined;
      const operation = method === 'insert' ? 'INSERT' : (statement?.split(' ')[0]?.toUpperCase() ?? method);
      const collection = method === 'insert' ? params?.table : undefined;
      return inSpan(
        collection ? `${operation} ${collection}` : operation,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'db.system.name': 'clickhouse',
            'db.operation.name': operation,
            ...(collection ? { 'db.collection.name': collection } : {}),
            ...(statement ? { 'db.query.text': statement } : {}),
          },
        },
        () => original(params),
      );
    };
    (client as unknown as Record<string, ClickHouseMethod>)[method] = traced;
  }
  return client;
}

/**
 * A Redis command as a statement without its values: the command and the key(s) it touches
 * (for EVAL/EVALSHA the script's sha and its keys), every other argument as `?`.
 */
export function redisStatement(command: string, args: Array<string | Buffer | number | unknown>): string {
  const text = (arg: unknown) => (Buffer.isBuffer(arg) ? '?' : String(arg));
  const upper = command.toUpperCase();
  if (upper === 'EVAL' || upper === 'EVALSHA' || upper === 'FCALL') {
    const keyCount = Number(args[1]) || 0;
    const script = upper === 'EVAL' ? '?' : text(args[0]);
    return [command, script, String(keyCount), ...args.slice(2, 2 + keyCount).map(text), ...args.slice(2 + keyCount).map(() => '?')].join(' ');
  }
  if (args.length === 0) return command;
  return [command, text(args[0]), ...args.slice(1).map(() => '?')].join(' ');
}
