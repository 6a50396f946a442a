export * from './requests.js';
export * from './events.js';
