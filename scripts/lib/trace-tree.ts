// Renders the spans of a trace as a tree in the terminal: each span with its service, kind,
// duration and offset from the trace's start; links (an outbox relay's `send`, a batch) shown
// under the span they point at.

export interface TreeSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  startNs: bigint;
  endNs: bigint;
  links: Array<{ traceId: string; spanId: string }>;
  /** 2 = error. */
  status: number;
  attributes?: Record<string, unknown>;
}

const ms = (ns: bigint) => Number(ns) / 1e6;
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

/**
 * The tree of `spans` (one trace), plus `linked`: spans of other traces that link into it
 * (shown where they point, marked ↪). Spans whose parent is missing are shown as roots.
 */
export function renderTraceTree(spans: TreeSpan[], linked: TreeSpan[] = [], { colour = false } = {}): string {
  if (spans.length === 0) return '(no spans)';
  const c = (code: number, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, TreeSpan[]>();
  const roots: TreeSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId)) {
      const list = children.get(span.parentSpanId) ?? [];
      list.push(span);
      children.set(span.parentSpanId, list);
    } else roots.push(span);
  }
  const linksInto = new Map<string, TreeSpan[]>();
  for (const span of linked) {
    for (const link of span.links) {
      if (!ids.has(link.spanId)) continue;
      const list = linksInto.get(link.spanId) ?? [];
      list.push(span);
      linksInto.set(link.spanId, list);
    }
  }
  const t0 = spans.reduce((min, s) => (s.startNs < min ? s.startNs : min), spans[0]!.startNs);
  const byStart = (a: TreeSpan, b: TreeSpan) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0);
  const lines: string[] = [];
  const line = (span: TreeSpan, prefix: string, branch: string, marker = '') => {
    const duration = `${fmt(ms(span.endNs - span.startNs))} ms`;
    const at = `+${fmt(ms(span.startNs - t0))} ms`;
    const failed = span.status === 2 ? c(31, ' ✗ error') : '';
    lines.push(
      `${prefix}${branch}${marker}${c(1, span.name)} ${c(36, `[${span.service}]`)} ${c(2, span.kind.toLowerCase())} ${c(33, duration)} ${c(2, at)}${failed}`,
    );
  };
  const walk = (span: TreeSpan, prefix: string, last: boolean, top: boolean) => {
    line(span, prefix, top ? '' : last ? '└─ ' : '├─ ');
    const below = top ? '' : prefix + (last ? '   ' : '│  ');
    const kids = (children.get(span.spanId) ?? []).sort(byStart);
    const links = (linksInto.get(span.spanId) ?? []).sort(byStart);
    links.forEach((l, i) => line(l, below, i === links.length - 1 && kids.length === 0 ? '└─ ' : '├─ ', '↪ linked: '));
    kids.forEach((kid, i) => walk(kid, below, i === kids.length - 1, false));
  };
  for (const root of roots.sort(byStart)) walk(root, '', true, true);
  return lines.join('\n');
}
