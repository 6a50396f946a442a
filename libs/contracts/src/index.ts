export * from './errors.js';
export * from './subjects.js';
export * from './health.js';
export * from './events/envelope.js';
export * from './users/index.js';
export * from './auth.js';
export * from './products/index.js';
export * from './cart/index.js';
