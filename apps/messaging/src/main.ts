import 'reflect-metadata';
import { bootstrapService, runMain } from '@polystore/platform';
import { loadMessagingConfig } from './config.js';
import { MessagingModule } from './messaging.module.js';

runMain(() => bootstrapService({ service: 'messaging', module: MessagingModule.forRoot(loadMessagingConfig()) }));
