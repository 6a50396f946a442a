import 'reflect-metadata';
import { bootstrapService, runMain } from '@polystore/platform';
import { CartModule } from './cart.module.js';
import { loadCartConfig } from './config.js';

runMain(() => bootstrapService({ service: 'cart', module: CartModule.forRoot(loadCartConfig()) }));
