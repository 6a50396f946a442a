import 'reflect-metadata';
import { bootstrapService, runMain } from '@polystore/platform';
import { ProductsModule } from './products.module.js';

runMain(() => bootstrapService({ service: 'products', module: ProductsModule, prefix: 'PRODUCTS', defaultHttpPort: 3102 }));
