#!/usr/bin/env node
// `npm run trace -- <trace id | checkout id>`: prints a trace from the local Jaeger (`npm start`
// runs it) as a tree of spans with their durations. A checkout id is looked up by the span
// attribute cart sets (`polystore.checkout_id`, through Jaeger's tag search). POLYSTORE_STACK=test reads the test stack's Jaeger.
import { spansOfOtlpJson } from './lib/otlp-receiver.ts';
import { jaegerQueryUrl } from './lib/jaeger.ts';
import { stack } from './lib/stack.ts';
import { renderTraceTree, type TreeSpan } from './lib/trace-tree.ts';

const id = process.argv[2];
if (!id) {
  console.error('usage: npm run trace -- <trace id (32 hex digits) | checkout id>');
  process.exit(2);
}
const s = stack(process.env.POLYSTORE_STACK ?? 'dev');
const query = jaegerQueryUrl(s);

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(query + path).catch((error: Error) => {
    console.error(`no trace backend at ${query} (${error.message}): is \`npm start\` running?`);
    process.exit(1);
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Jaeger's v3 API answers OTLP JSON, wrapped in `result` (or a stream of such objects). */
async function traceSpans(traceId: string): Promise<TreeSpan[]> {
  const { status, body } = await getJson(`/api/v3/traces/${traceId}`);
  if (status === 404) return [];
  if (status !== 200) throw new Error(`Jaeger answered ${status} for trace ${traceId}: ${JSON.stringify(body).slice(0, 300)}`);
  return spansOfOtlpJson(((body as { result?: unknown }).result ?? body) as never);
}

/** The trace holding the span cart tagged with this checkout id (Jaeger's tag search, last day). */
async function traceOfCheckout(checkoutId: string): Promise<string | null> {
  const params = new URLSearchParams({ service: 'cart', lookback: '24h', limit: '1', tags: JSON.stringify({ 'polystore.checkout_id': checkoutId }) });
  const { status, body } = await getJson(`/api/traces?${params}`);
  if (status !== 200) throw new Error(`Jaeger answered ${status} to the search: ${JSON.stringify(body).slice(0, 300)}`);
  return (body as { data?: Array<{ traceID: string }> }).data?.[0]?.traceID ?? null;
}

const traceId = /^[0-9a-f]{32}$/i.test(id) ? id.toLowerCase() : await traceOfCheckout(id);
if (!traceId) {
  console.error(`no trace found for checkout ${id} in ${query} (traces are kept in memory until Jaeger stops)`);
  process.exit(1);
}
const spans = await traceSpans(traceId);
if (spans.length === 0) {
  console.error(`trace ${traceId} is not in ${query}`);
  process.exit(1);
}
const services = [...new Set(spans.map((span) => span.service))];
console.log(`trace ${traceId}: ${spans.length} spans from ${services.join(', ')}\n`);
console.log(renderTraceTree(spans, [], { colour: process.stdout.isTTY }));
