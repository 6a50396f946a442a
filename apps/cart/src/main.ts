import 'reflect-metadata';
import { bootstrapService, runMain } from '@polystore/platform';
import { CartModule } from './cart.module.js';

runMain(() => bootstrapService({ service: 'cart', module: CartModule, prefix: 'CART', defaultHttpPort: 3103 }));
