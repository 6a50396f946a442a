export * from './requests.js';
export * from './replies.js';
export * from './events.js';
export * from './rpc.js';
