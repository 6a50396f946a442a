import type { Client, Types } from '@opensearch-project/opensearch';
import { PRODUCTS_INDEX_PREFIX, PRODUCTS_INDICES } from './products-search.js';

/**
 * The catalog index. Readers and writers use the alias; the concrete index is versioned
 * (`products-catalog-v<N>`), so a mapping change builds a new index, reindexes into it and
 * moves the alias in one atomic step (see reindexCatalog).
 */
export const CATALOG_ALIAS = `${PRODUCTS_INDEX_PREFIX}-catalog`;
export const CATALOG_MAPPING_VERSION = 1;

export const catalogIndexName = (version: number) => `${CATALOG_ALIAS}-v${version}`;

export const CATALOG_SETTINGS: Types.Indices_Common.IndexSettings = {
  number_of_shards: 1,
  number_of_replicas: 0,
  refresh_interval: '1s',
  analysis: {
    filter: {
      english_stop: { type: 'stop', stopwords: '_english_' },
      english_stemmer: { type: 'stemmer', language: 'english' },
      english_possessive: { type: 'stemmer', language: 'possessive_english' },
    },
    analyzer: {
      product_text: {
        type: 'custom',
        tokenizer: 'standard',
        filter: ['english_possessive', 'lowercase', 'asciifolding', 'english_stop', 'english_stemmer'],
      },
    },
    normalizer: { lowercase: { type: 'custom', filter: ['lowercase', 'asciifolding'] } },
  },
};

export const CATALOG_MAPPINGS: Types.Common_Mapping.TypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    sku: { type: 'keyword' },
    name: { type: 'text', analyzer: 'product_text', fields: { sort: { type: 'keyword', normalizer: 'lowercase' } } },
    description: { type: 'text', analyzer: 'product_text' },
    brand: { type: 'keyword', fields: { text: { type: 'text', analyzer: 'product_text' } } },
    categories: { type: 'keyword' },
    priceCents: { type: 'long' },
    currency: { type: 'keyword' },
    attributes: { type: 'object', enabled: false },
    attributePairs: { type: 'keyword' },
    stockOnHand: { type: 'integer' },
    stockAvailable: { type: 'integer' },
    reservations: { type: 'object', enabled: false },
    stockReturns: { type: 'object', enabled: false },
    version: { type: 'long' },
    createdAt: { type: 'date' },
    updatedAt: { type: 'date' },
    deleted: { type: 'boolean' },
    suggest: { type: 'completion', analyzer: 'simple', preserve_separators: true, preserve_position_increments: true, max_input_length: 100 },
    // The transactional outbox of this document: events written in the same atomic write as the change.
    pendingEvents: { type: 'object', enabled: false },
    hasPendingEvents: { type: 'boolean' },
  },
};

/** Fields added to CATALOG_MAPPINGS after its version was first deployed: added in place (a new field needs no reindex). */
const ADDED_FIELDS: Types.Common_Mapping.TypeMapping['properties'] = { stockReturns: { type: 'object', enabled: false } };

/** Creates the first versioned index and its alias when the alias does not exist yet; else adds fields added since. */
export async function ensureCatalogIndex(client: Client): Promise<void> {
  const exists = await client.indices.existsAlias({ index: PRODUCTS_INDICES, name: CATALOG_ALIAS });
  if (exists.body) {
    await client.indices.putMapping({ index: CATALOG_ALIAS, body: { properties: ADDED_FIELDS } });
    return;
  }
  const index = catalogIndexName(CATALOG_MAPPING_VERSION);
  try {
    await client.indices.create({
      index,
      body: { settings: CATALOG_SETTINGS, mappings: CATALOG_MAPPINGS, aliases: { [CATALOG_ALIAS]: { is_write_index: true } } },
    });
  } catch (error) {
    // Another instance created it first.
    if (!/resource_already_exists_exception/.test(String((error as Error).message))) throw error;
  }
}

/**
 * Merges the catalog's segments into one, after a bulk load (seed, reindex). Every search pays per
 * segment (each one's terms are expanded for fuzzy matching, each one's facets collected): a bulk
 * load refreshed every second leaves one large segment and a tail of small ones that the merge
 * policy only merges once there are about ten of them. A search the request cache cannot answer
 * (after a refresh that changed the catalog, or one not asked before) took a third less of the
 * node's CPU on one segment than on seven (README, bench:search). Waits for the merge (long).
 */
export async function mergeCatalogSegments(client: Client, index: string = CATALOG_ALIAS): Promise<void> {
  await client.indices.forcemerge({ index, max_num_segments: 1 }, { requestTimeout: 10 * 60_000 });
}

export interface ReindexResult {
  from: string;
  to: string;
  copied: number;
  caughtUp: number;
  seconds: number;
}

/**
 * Moves the catalog to a new index built from the mappings in code, while the service keeps
 * serving: create `products-catalog-v<N+1>`, copy everything, copy again what changed meanwhile
 * (external versioning: a newer source version wins, an older one is skipped), swap the alias in
 * one atomic `_aliases` call, then a last catch-up for writes that landed on the old index just
 * before the swap. The old index is kept (for rollback) unless `deleteOld`.
 */
export async function reindexCatalog(client: Client, { deleteOld = false, log = (_: string) => {} } = {}): Promise<ReindexResult> {
  const started = Date.now();
  const { body: aliases } = await client.indices.getAlias({ index: PRODUCTS_INDICES, name: CATALOG_ALIAS });
  const from = Object.keys(aliases)[0];
  if (!from) throw new Error(`alias ${CATALOG_ALIAS} points nowhere; start the products service once first`);
  const { body: all } = await client.indices.get({ index: `${CATALOG_ALIAS}-v*` });
  const highest = Math.max(...Object.keys(all).map((name) => Number(/-v(\d+)$/.exec(name)?.[1] ?? 0)));
  const to = catalogIndexName(highest + 1);
  log(`creating ${to} from the mappings in code`);
  await client.indices.create({ index: to, body: { settings: { ...CATALOG_SETTINGS, refresh_interval: '-1' }, mappings: CATALOG_MAPPINGS } });
  const copy = async (query: Record<string, unknown>) => {
    // Reindex reads through search: make every write so far visible to it first.
    await client.indices.refresh({ index: from });
    const { body } = await client.reindex(
      {
        wait_for_completion: true,
        refresh: true,
        body: { conflicts: 'proceed', source: { index: from, query }, dest: { index: to, version_type: 'external' } },
      },
      { requestTimeout: 10 * 60_000 },
    ); // a whole catalog's copy: far beyond the request path's deadline
    const counts = body as { created?: number; updated?: number };
    return (counts.created ?? 0) + (counts.updated ?? 0);
  };
  const firstPassStart = new Date(Date.now() - 1_000).toISOString();
  log(`copying ${from} → ${to}`);
  const copied = await copy({ match_all: {} });
  const secondPassStart = new Date(Date.now() - 1_000).toISOString();
  let caughtUp = await copy({ range: { updatedAt: { gte: firstPassStart } } });
  // Searched as one segment from the swap on (what lands later adds small ones the policy merges).
  log(`merging ${to} into one segment`);
  await mergeCatalogSegments(client, to);
  log(`swapping the alias ${CATALOG_ALIAS} to ${to}`);
  await client.indices.putSettings({ index: to, body: { index: { refresh_interval: CATALOG_SETTINGS.refresh_interval as string } } });
  await client.indices.updateAliases({
    body: {
      actions: [{ remove: { index: from, alias: CATALOG_ALIAS } }, { add: { index: to, alias: CATALOG_ALIAS, is_write_index: true } }],
    },
  });
  // No more writes to the old index: one already on its way fails (and is retried through the alias)
  // instead of landing after the last catch-up, where it would be lost.
  await client.indices.putSettings({ index: from, body: { index: { blocks: { write: true } } } });
  caughtUp += await copy({ range: { updatedAt: { gte: secondPassStart } } });
  if (deleteOld) await client.indices.delete({ index: from });
  return { from, to, copied, caughtUp, seconds: (Date.now() - started) / 1000 };
}
