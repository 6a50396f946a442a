import 'reflect-metadata';
import { bootstrapService, runMain } from '@polystore/platform';
import { MessagingModule } from './messaging.module.js';

runMain(() => bootstrapService({ service: 'messaging', module: MessagingModule, prefix: 'MESSAGING', defaultHttpPort: 3105 }));
