import 'reflect-metadata';
import { bootstrapService, runMain } from '@polystore/platform';
import { loadProductsConfig } from './config.js';
import { ProductsModule } from './products.module.js';

runMain(() => bootstrapService({ service: 'products', module: ProductsModule.forRoot(loadProductsConfig()) }));
