import 'reflect-metadata';
import { bootstrapService, runMain } from '@polystore/platform';
import { loadUsersConfig } from './config.js';
import { UsersModule } from './users.module.js';

runMain(() => bootstrapService({ service: 'users', module: UsersModule.forRoot(loadUsersConfig()) }));
