import { createHash } from 'node:crypto';
import type { ProductSort, SearchProductsRequest } from '@polystore/contracts';

/** Price buckets of the facet, in cents: [from, to). */
export const PRICE_BUCKETS = [
  { key: '0-25', to: 2_500 },
  { key: '25-50', from: 2_500, to: 5_000 },
  { key: '50-100', from: 5_000, to: 10_000 },
  { key: '100-250', from: 10_000, to: 25_000 },
  { key: '250+', from: 25_000 },
];

export const DEFAULT_PAGE_SIZE = 20;
export const TOTAL_COUNT_LIMIT = 10_000;

/** `AUTO:low,high`: no edit below 3 letters, one below 256 (longer than any token the analyzer emits), two beyond. */
const ONE_TYPO_FROM_THREE_LETTERS = 'AUTO:3,256';

/** Sorts always end on the product id, so every hit has a unique position and pages never overlap. */
const SORTS: Record<ProductSort, Array<Record<string, 'asc' | 'desc'>>> = {
  relevance: [{ _score: 'desc' }, { id: 'asc' }],
  price_asc: [{ priceCents: 'asc' }, { id: 'asc' }],
  price_desc: [{ priceCents: 'desc' }, { id: 'asc' }],
  newest: [{ createdAt: 'desc' }, { id: 'asc' }],
};

export class InvalidCursor extends Error {}

interface CursorPayload {
  v: 1;
  /** The hit's sort values: search_after goes on from there (works at any depth, unlike from+size). */
  after: unknown[];
  /** Fingerprint of the query it belongs to: a cursor is only valid for the same search. */
  q: string;
}

/** What identifies a search apart from its position: a cursor from another search is refused. */
function fingerprint(request: SearchProductsRequest): string {
  const { cursor: _c, limit: _l, ...query } = request;
  const canonical = JSON.stringify(
    Object.keys(query)
      .sort()
      .map((k) => [k, (query as Record<string, unknown>)[k]]),
  );
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function encodeCursor(request: SearchProductsRequest, after: unknown[]): string {
  const payload: CursorPayload = { v: 1, after, q: fingerprint(request) };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(request: SearchProductsRequest): unknown[] | undefined {
  if (!request.cursor) return undefined;
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(request.cursor, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw new InvalidCursor('cursor is not one this API issued');
  }
  if (payload?.v !== 1 || !Array.isArray(payload.after) || payload.after.length !== 2) throw new InvalidCursor('cursor is not one this API issued');
  if (payload.q !== fingerprint(request)) throw new InvalidCursor('cursor belongs to a different search; start again without it');
  return payload.after;
}

/** The OpenSearch request body for a catalog search (plain JSON: no driver here). */
export function searchBody(request: SearchProductsRequest): Record<string, unknown> {
  const filter: unknown[] = [{ term: { deleted: false } }];
  if (request.category) filter.push({ term: { categories: request.category } });
  if (request.brand) filter.push({ term: { brand: request.brand } });
  if (request.minPrice !== undefined || request.maxPrice !== undefined) {
    filter.push({
      range: {
        priceCents: {
          ...(request.minPrice !== undefined ? { gte: request.minPrice } : {}),
          ...(request.maxPrice !== undefined ? { lte: request.maxPrice } : {}),
        },
      },
    });
  }
  if (request.inStock === true) filter.push({ range: { stockAvailable: { gt: 0 } } });
  if (request.inStock === false) filter.push({ term: { stockAvailable: 0 } });
  const must = request.q
    ? [
        {
          multi_match: {
            query: request.q,
            fields: ['name^3', 'brand.text^2', 'description'],
            // One typo per word (a swapped pair counts as one) from three letters on, never two: the
            // node builds a Levenshtein automaton per word and field on every search, even one its
            // request cache answers (the query is rewritten before the cache is looked up), and a
            // two-edit automaton cost about a third of the node's CPU per search (README, bench:search).
            fuzziness: ONE_TYPO_FROM_THREE_LETTERS,
            // Typos are tolerated after the first two letters: far fewer terms to expand, same feel.
            prefix_length: 2,
            max_expansions: 20,
            minimum_should_match: '75%',
          },
        },
      ]
    : [{ match_all: {} }];
  const sort = request.sort ?? (request.q ? 'relevance' : 'newest');
  const after = decodeCursor(request);
  return {
    size: request.limit ?? DEFAULT_PAGE_SIZE,
    // Counted exactly up to 10,000 (then "at least"); paging itself is exact at any depth.
    track_total_hits: TOTAL_COUNT_LIMIT,
    query: { bool: { must, filter } },
    sort: SORTS[sort],
    ...(after ? { search_after: after } : {}),
    _source: { excludes: ['pendingEvents', 'suggest', 'attributePairs'] },
    // Facets do not change from page to page: only the first page computes them.
    ...(after
      ? {}
      : {
          aggs: {
            brands: { terms: { field: 'brand', size: 20 } },
            categories: { terms: { field: 'categories', size: 30 } },
            prices: { range: { field: 'priceCents', ranges: PRICE_BUCKETS } },
          },
        }),
  };
}

export function suggestBody(prefix: string, size: number): Record<string, unknown> {
  return {
    _source: false,
    suggest: { names: { prefix, completion: { field: 'suggest', size, skip_duplicates: true, fuzzy: { fuzziness: prefix.length > 3 ? 1 : 0 } } } },
  };
}
