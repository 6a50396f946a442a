export * from './requests.js';
export * from './checkout.js';
export * from './events.js';
export * from './rpc.js';
