import { Module, type DynamicModule } from '@nestjs/common';
import { OrdersEvents, eventSubject } from '@polystore/contracts';
import {
  MetricsModule,
  NatsModule,
  createHealthController,
  createIdOwnerController,
  createReferencesController,
  eventConsumers,
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
import { ProductsReferences } from './api/references.service.js';
import { ensureCatalogIndex } from './store/catalog-index.js';
import { ProductsOutbox } from './store/outbox.js';
import { OrderStockReturnHandlers } from './events/order-stock-return-handlers.js';
import { ensureReservationsIndex } from './store/reservations-index.js';
import { ReservationsStore } from './store/reservations.store.js';
import { ProductsSearch } from './store/products-search.js';
import { ProductsStore } from './store/products.store.js';
import { readProductsUsage } from './store/usage.js';
import { ensureStockReturnsIndex } from './store/stock-returns-index.js';
import { StockReturnsStore } from './store/stock-returns.store.js';

/** products: catalog, stock and search, in OpenSearch. */
@Module({})
export class ProductsModule {
  static forRoot(config: ProductsConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: ProductsModule,
      imports: [NatsModule.forRoot(options.nats ?? appNatsSettings('products'), 5_000), MetricsModule.forRoot('products')],
      controllers: [
        CatalogController,
        StockController,
        createHealthController('products'),
        createReferencesController('products', ProductsReferences),
        createIdOwnerController('products', ProductsReferences),
      ],
      providers: [
        { provide: PRODUCTS_CONFIG, useValue: config },
        ProductsSearch,
        // The catalog, reservations and stock returns indices (and their aliases); an index another instance created first is fine.
        schemaSetup(
          async (search: ProductsSearch) => {
            await ensureCatalogIndex(search.client);
            await ensureReservationsIndex(search.client);
            await ensureStockReturnsIndex(search.client);
          },
          [ProductsSearch],
        ),
        ...storeAvailability((search: ProductsSearch) => search.availability, [ProductsSearch]),
        ProductsStore,
        CatalogService,
        ReservationsStore,
        StockService,
        ProductsReferences,
        SearchService,
        StockReturnsStore,
        OrderStockReturnHandlers,
        eventConsumers({
          service: 'products',
          handlers: OrderStockReturnHandlers,
          consumers: [
            {
              durable: 'products-order-stock-returns',
              producer: 'orders',
              subjects: [eventSubject('orders', OrdersEvents.OrderCancellationRequested.type, OrdersEvents.OrderCancellationRequested.version)],
            },
          ],
        }),
        outboxRelay({
          producer: 'products',
          outbox: (search: ProductsSearch, products: ProductsStore, reservations: ReservationsStore, returns: StockReturnsStore) =>
            new ProductsOutbox(search, [products, reservations, returns]),
          inject: [ProductsSearch, ProductsStore, ReservationsStore, StockReturnsStore],
          options: { batchSize: 100, pollIntervalMs: 1_000, maxBackoffMs: 5_000 },
        }),
        healthProbes((store: ProductsSearch) => [{ name: 'opensearch', check: () => store.ping() }], [ProductsSearch]),
        storeUsage((store: ProductsSearch) => () => readProductsUsage(store), [ProductsSearch]),
      ],
    };
  }
}
