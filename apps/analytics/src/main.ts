import 'reflect-metadata';
import { bootstrapService, runMain } from '@polystore/platform';
import { AnalyticsModule } from './analytics.module.js';
import { loadAnalyticsConfig } from './config.js';

runMain(() => bootstrapService({ service: 'analytics', module: AnalyticsModule.forRoot(loadAnalyticsConfig()) }));
