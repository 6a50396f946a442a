import { readFileSync } from 'node:fs';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@opensearch-project/opensearch';
import { StoreAvailability, storeProbeSettings } from '@polystore/platform';
import { traceOpenSearchClient } from '@polystore/platform';
import { PRODUCTS_CONFIG, type ProductsConfig } from '../config.js';

/** Every index products creates starts with this (aliases and versioned indices alike). */
export const PRODUCTS_INDEX_PREFIX = 'products';
/**
 * All of products' indices. Lookups that would otherwise range over every index of the node (an
 * alias by name) are limited to these: products' user may not see any other (security plugin).
 */
export const PRODUCTS_INDICES = `${PRODUCTS_INDEX_PREFIX}-*`;

/** products' only connection to OpenSearch, and what products knows of its availability. */
@Injectable()
export class ProductsSearch implements OnApplicationShutdown {
  readonly client: Client;
  readonly availability: StoreAvailability;

  constructor(@Inject(PRODUCTS_CONFIG) config: ProductsConfig) {
    const timing = storeProbeSettings('products');
    this.client = new Client({
      node: config.opensearchUrl,
      ...(config.username ? { auth: { username: config.username, password: config.password ?? '' } } : {}),
      // The node's certificate is signed by the stack's own CA, not a public one.
      ...(config.caFile ? { ssl: { ca: readFileSync(config.caFile) } } : {}),
      requestTimeout: timing.operationTimeoutMs,
      maxRetries: 1,
    });
    // A frozen node keeps its sockets open and answers nothing: only a deadline tells (HEAD /, no retry).
    this.availability = new StoreAvailability({
      store: 'opensearch',
      probe: async () => {
        await this.client.ping({}, { requestTimeout: timing.probeDeadlineMs, maxRetries: 0 });
      },
      probeDeadlineMs: timing.probeDeadlineMs,
      probeIntervalMs: timing.probeIntervalMs,
    });
    // Any HTTP answer (an error status too) shows the node is there: a slow probe then means busy, not frozen.
    this.client.on('response', (_error, result) => {
      if (result?.statusCode != null) this.availability.reportAnswer();
    });
    // A span per call (the client has no OpenTelemetry instrumentation).
    traceOpenSearchClient(this.client);
  }

  async ping(): Promise<void> {
    const { body } = await this.client.cluster.health({ timeout: '2s' });
    if (body.status === 'red') throw new Error('cluster status is red');
  }

  async onApplicationShutdown(): Promise<void> {
    this.availability.stop();
    await this.client.close();
  }
}
