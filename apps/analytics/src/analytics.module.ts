import { Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HEALTH_PROBES, NatsModule, createHealthController, natsSettings, type HealthProbe, type NatsSettings } from '@polystore/platform';
import { ANALYTICS_CONFIG, type AnalyticsConfig } from './config.js';
import { AnalyticsClickHouse } from './store/clickhouse.js';

@Injectable()
class EnsureAnalyticsDatabase implements OnModuleInit {
  constructor(@Inject(AnalyticsClickHouse) private readonly store: AnalyticsClickHouse) {}
  onModuleInit(): Promise<void> {
    return this.store.ensureDatabase();
  }
}

/**
 * analytics: every domain event and the reports over them, in ClickHouse. Connected to its store
 * and NATS; ingestion and reports arrive with their own issue.
 */
@Module({})
export class AnalyticsModule {
  static forRoot(config: AnalyticsConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: AnalyticsModule,
      imports: [NatsModule.forRoot(options.nats ?? natsSettings('ANALYTICS', 'analytics'), 5_000)],
      controllers: [createHealthController('analytics')],
      providers: [
        { provide: ANALYTICS_CONFIG, useValue: config },
        AnalyticsClickHouse,
        EnsureAnalyticsDatabase,
        {
          provide: HEALTH_PROBES,
          useFactory: (store: AnalyticsClickHouse): HealthProbe[] => [{ name: 'clickhouse', check: () => store.ping() }],
          inject: [AnalyticsClickHouse],
        },
      ],
    };
  }
}
