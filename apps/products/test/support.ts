import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NatsLink, RpcClient, bootstrapService } from '@polystore/platform';
import { loadProductsConfig } from '../src/config.js';
import { ProductsModule } from '../src/products.module.js';
import { opsNats } from '../../../test/support/nats.js';

export { opsNats };

/** The products service in-process on the test stack's OpenSearch and NATS, plus a client. */
export function productsServiceForSuite(): { app: NestFastifyApplication; rpc: RpcClient; link: NatsLink } {
  const ctx = {} as { app: NestFastifyApplication; rpc: RpcClient; link: NatsLink };
  beforeAll(async () => {
    const nats = opsNats('products-test');
    ctx.app = await bootstrapService({
      service: 'products',
      module: ProductsModule.forRoot(loadProductsConfig(), { nats }),
      httpPort: 0,
      nats,
      quiet: true,
    });
    ctx.link = await NatsLink.open(opsNats('products-test-client'));
    ctx.rpc = new RpcClient(ctx.link, 10_000);
  });
  afterAll(async () => {
    await ctx.link?.close();
    await ctx.app?.close();
  });
  return ctx;
}

export const uniqueSku = (tag = 'SKU') => `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`.toUpperCase();

export const productBody = (sku: string, overrides: Record<string, unknown> = {}) => ({
  sku,
  name: 'Trail running shoe',
  description: 'Light and grippy',
  brand: 'Acme',
  categories: ['shoes', 'running'],
  priceCents: 8900,
  currency: 'EUR',
  attributes: { color: 'red' },
  stockOnHand: 10,
  ...overrides,
});
