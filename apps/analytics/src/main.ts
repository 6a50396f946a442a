import 'reflect-metadata';
import { bootstrapService, runMain } from '@polystore/platform';
import { AnalyticsModule } from './analytics.module.js';

runMain(() => bootstrapService({ service: 'analytics', module: AnalyticsModule, prefix: 'ANALYTICS', defaultHttpPort: 3104 }));
