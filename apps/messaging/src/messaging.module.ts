import { Module } from '@nestjs/common';
import { HEALTH_PROBES, NatsModule, createHealthController, natsSettings } from '@polystore/platform';

/**
 * messaging: a shell until its own issue lands (its store, api/, domain/, store/ and events/ come then).
 * It boots, joins NATS and answers health.
 */
@Module({
  imports: [NatsModule.forRoot(natsSettings('MESSAGING', 'messaging'), 5_000)],
  controllers: [createHealthController('messaging')],
  providers: [{ provide: HEALTH_PROBES, useValue: [] }],
})
export class MessagingModule {}
