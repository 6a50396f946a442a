import { runMain } from '@polystore/platform';
import { productIdForSku } from '../api/catalog.service.js';
import { seedProduct } from '../api/seed.js';
import { loadProductsConfig } from '../config.js';
import { newProduct } from '../domain/product.js';
import { productCreated } from '../events/products-events.js';
import { CATALOG_ALIAS, ensureCatalogIndex, mergeCatalogSegments } from '../store/catalog-index.js';
import { ProductsSearch } from '../store/products-search.js';
import { ProductsStore } from '../store/products.store.js';

/**
 * `npm run products:seed -- [count=10000] [--prefix SEED] [--batch 1000] [--no-events]`
 * Bulk-loads realistic products straight into products' own store (the same documents and,
 * unless --no-events, the same ProductCreated outbox entries as the API writes; a running
 * products service publishes them). Re-running skips SKUs that exist. Prints the indexing rate.
 */
export async function seed(args: string[]): Promise<{ created: number; skipped: number; docsPerSecond: number }> {
  const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 10_000);
  const option = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const prefix = option('prefix', 'SEED').toUpperCase();
  const batch = Number(option('batch', '1000'));
  const withEvents = !args.includes('--no-events');
  const search = new ProductsSearch(loadProductsConfig());
  try {
    await ensureCatalogIndex(search.client);
    const store = new ProductsStore(search);
    const started = Date.now();
    let created = 0;
    let skipped = 0;
    for (let from = 0; from < count; from += batch) {
      const now = new Date().toISOString();
      const items = [];
      for (let i = from; i < Math.min(count, from + batch); i++) {
        const { sku, ...fields } = seedProduct(i, prefix);
        const record = newProduct(productIdForSku(sku), sku, fields, now);
        items.push({ record, events: withEvents ? [productCreated(record)] : [] });
      }
      const result = await store.bulkCreate(items);
      created += result.created;
      skipped += result.skipped;
      progress(Math.min(count, from + batch), count, started);
    }
    await search.client.indices.refresh({ index: CATALOG_ALIAS });
    const seconds = (Date.now() - started) / 1000;
    if (created > 0) await mergeCatalogSegments(search.client);
    const docsPerSecond = Math.round((created + skipped) / seconds);
    process.stderr.write('\n');
    console.log(`seeded ${created} products (${skipped} already there) in ${seconds.toFixed(1)} s: ${docsPerSecond} docs/s`);
    return { created, skipped, docsPerSecond };
  } finally {
    await search.onApplicationShutdown();
  }
}

function progress(done: number, total: number, started: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} (${rate} docs/s)`);
}

if (process.argv[1]?.endsWith('seed.js')) runMain(() => seed(process.argv.slice(2)));
