import { Module } from '@nestjs/common';
import { HEALTH_PROBES, NatsModule, createHealthController, natsSettings } from '@polystore/platform';

/**
 * products: a shell until its own issue lands (its store, api/, domain/, store/ and events/ come then).
 * It boots, joins NATS and answers health.
 */
@Module({
  imports: [NatsModule.forRoot(natsSettings('PRODUCTS', 'products'), 5_000)],
  controllers: [createHealthController('products')],
  providers: [{ provide: HEALTH_PROBES, useValue: [] }],
})
export class ProductsModule {}
