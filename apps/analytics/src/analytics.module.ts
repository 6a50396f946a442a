import { Module, type DynamicModule } from '@nestjs/common';
import {
  MetricsModule,
  NatsModule,
  createHealthController,
  createReferencesController,
  erasureParticipant,
  healthProbes,
  appNatsSettings,
  schemaSetup,
  storeAvailability,
  storeUsage,
  type NatsSettings,
} from '@polystore/platform';
import { ReportsController } from './api/reports.controller.js';
import { ReportsService } from './api/reports.service.js';
import { ANALYTICS_CONFIG, type AnalyticsConfig } from './config.js';
import { IngestionService } from './events/ingestion.service.js';
import { AnalyticsClickHouse } from './store/clickhouse.js';
import { EventsStore } from './store/events.store.js';
import { migrate } from './store/migrator.js';
import { ReportsStore } from './store/reports.store.js';
import { readAnalyticsUsage } from './store/usage.js';
import { AnalyticsUserData } from './store/user-data.eraser.js';
import { AnalyticsReferences } from './store/references.store.js';

/** analytics: every domain event in ClickHouse (batched, idempotent ingestion) and the reports over them. */
@Module({})
export class AnalyticsModule {
  static forRoot(config: AnalyticsConfig, options: { nats?: NatsSettings } = {}): DynamicModule {
    return {
      module: AnalyticsModule,
      imports: [NatsModule.forRoot(options.nats ?? appNatsSettings('analytics'), 5_000), MetricsModule.forRoot('analytics')],
      controllers: [ReportsController, createHealthController('analytics'), createReferencesController('analytics', AnalyticsReferences)],
      providers: [
        { provide: ANALYTICS_CONFIG, useValue: config },
        AnalyticsClickHouse,
        // The versioned migrations, before ingestion starts; every statement is re-runnable (IF NOT EXISTS).
        schemaSetup((store: AnalyticsClickHouse) => migrate(store), [AnalyticsClickHouse]),
        ...storeAvailability((store: AnalyticsClickHouse) => store.availability, [AnalyticsClickHouse]),
        EventsStore,
        ReportsStore,
        ReportsService,
        IngestionService,
        AnalyticsUserData,
        AnalyticsReferences,
        ...erasureParticipant({ service: 'analytics', eraser: AnalyticsUserData }),
        healthProbes((store: AnalyticsClickHouse) => [{ name: 'clickhouse', check: () => store.ping() }], [AnalyticsClickHouse]),
        storeUsage((store: AnalyticsClickHouse) => () => readAnalyticsUsage(store), [AnalyticsClickHouse]),
      ],
    };
  }
}
