import { Module, type DynamicModule } from '@nestjs/common';
import {
  MetricsModule,
  NatsModule,
  createHealthController,
  healthProbes,
  appNatsSettings,
  outboxRelay,
  schemaSetup,
  storeAvailability,
  storeUsage,
  type NatsSettings,
} from '@polystore/platform';
import { PRODUCTS_CONFIG, type ProductsConfig } from './config.js';
import { CatalogController } from './api/catalog.controller.js';
import { CatalogService } from './api/catalog.service.js';
import { SearchService } from './api/search.service.js';
import { StockController } from './api/stock.controller.js';
import { StockService } from './api/stock.service.js';
import { ensureCatalogIndex } from './store/catalog-index.js';
import { ProductsOutbox } from './store/outbox.js';
import { ensureReservationsIndex } from './store/reservations-index.js';
import { ReservationsStore } from './store/reservations.store.js';
import { ProductsSearch } from './store/products-search.js';
import { ProductsStore } from './store/products.store.js';
import { readProductsUsage } from './store/usage.js';

/** products: catalog, stock and search, in OpenSearch. */
@Module({})
export class ProductsModule {
  static forRoot(config: ProductsConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: ProductsModule,
      imports: [NatsModule.forRoot(options.nats ?? appNatsSettings('products'), 5_000), MetricsModule.forRoot('products')],
      controllers: [CatalogController, StockController, createHealthController('products')],
      providers: [
        { provide: PRODUCTS_CONFIG, useValue: config },
        ProductsSearch,
        // The catalog and reservations indices (and their aliases); an index another instance created first is fine.
        schemaSetup(
          async (search: ProductsSearch) => {
            await ensureCatalogIndex(search.client);
            await ensureReservationsIndex(search.client);
          },
          [ProductsSearch],
        ),
        ...storeAvailability((search: ProductsSearch) => search.availability, [ProductsSearch]),
        ProductsStore,
        CatalogService,
        ReservationsStore,
        StockService,
        SearchService,
        outboxRelay({
          producer: 'products',
          outbox: (search: ProductsSearch, products: ProductsStore, reservations: ReservationsStore) =>
            new ProductsOutbox(search, [products, reservations]),
          inject: [ProductsSearch, ProductsStore, ReservationsStore],
          options: { batchSize: 100, pollIntervalMs: 1_000, maxBackoffMs: 5_000 },
        }),
        healthProbes((store: ProductsSearch) => [{ name: 'opensearch', check: () => store.ping() }], [ProductsSearch]),
        storeUsage((store: ProductsSearch) => () => readProductsUsage(store), [ProductsSearch]),
      ],
    };
  }
}
