import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@opensearch-project/opensearch';
import { traceOpenSearchClient } from '@polystore/platform';
import { PRODUCTS_CONFIG, type ProductsConfig } from '../config.js';

/** Every index products creates starts with this (aliases and versioned indices alike). */
export const PRODUCTS_INDEX_PREFIX = 'products';

/** products' only connection to OpenSearch. */
@Injectable()
export class ProductsSearch implements OnApplicationShutdown {
  readonly client: Client;

  constructor(@Inject(PRODUCTS_CONFIG) config: ProductsConfig) {
    this.client = new Client({
      node: config.opensearchUrl,
      ...(config.username ? { auth: { username: config.username, password: config.password ?? '' } } : {}),
      requestTimeout: 10_000,
      maxRetries: 1,
    });
    // A span per call (the client has no OpenTelemetry instrumentation).
    traceOpenSearchClient(this.client);
  }

  async ping(): Promise<void> {
    const { body } = await this.client.cluster.health({ timeout: '2s' });
    if (body.status === 'red') throw new Error('cluster status is red');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
