export * from './events.js';
export * from './requests.js';
