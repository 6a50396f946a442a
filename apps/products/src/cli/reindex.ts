import { runMain } from '@polystore/platform';
import { loadProductsConfig } from '../config.js';
import { reindexCatalog } from '../store/catalog-index.js';
import { ProductsSearch } from '../store/products-search.js';

/**
 * `npm run products:reindex [-- --delete-old]`: rebuilds the catalog index from the mappings in
 * code and moves the alias to it atomically; the products service keeps serving meanwhile.
 */
runMain(async () => {
  const search = new ProductsSearch(loadProductsConfig());
  try {
    const result = await reindexCatalog(search.client, { deleteOld: process.argv.includes('--delete-old'), log: (m) => console.log(m) });
    console.log(
      `done in ${result.seconds.toFixed(1)} s: ${result.copied} documents copied, ${result.caughtUp} caught up; ${result.from} → ${result.to}`,
    );
  } finally {
    await search.onApplicationShutdown();
  }
});
