export * from './requests.js';
export * from './replies.js';
export * from './rpc.js';
export * from './events.js';
