import 'reflect-metadata';
import { bootstrapService, runMain } from '@polystore/platform';
import { loadOrdersConfig } from './config.js';
import { OrdersModule } from './orders.module.js';

runMain(() => bootstrapService({ service: 'orders', module: OrdersModule.forRoot(loadOrdersConfig()) }));
