import { Module, type DynamicModule } from '@nestjs/common';
import { HEALTH_PROBES, NatsModule, createHealthController, natsSettings, type HealthProbe, type NatsSettings } from '@polystore/platform';
import { PRODUCTS_CONFIG, type ProductsConfig } from './config.js';
import { ProductsSearch } from './store/products-search.js';

/**
 * products: catalog, stock and search, in OpenSearch. Connected to its store and NATS; the
 * catalog, search and stock reservations arrive with their own issue.
 */
@Module({})
export class ProductsModule {
  static forRoot(config: ProductsConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: ProductsModule,
      imports: [NatsModule.forRoot(options.nats ?? natsSettings('PRODUCTS', 'products'), 5_000)],
      controllers: [createHealthController('products')],
      providers: [
        { provide: PRODUCTS_CONFIG, useValue: config },
        ProductsSearch,
        {
          provide: HEALTH_PROBES,
          useFactory: (store: ProductsSearch): HealthProbe[] => [{ name: 'opensearch', check: () => store.ping() }],
          inject: [ProductsSearch],
        },
      ],
    };
  }
}
