export * from './event-types.js';
export * from './settings.js';
export * from './raw-json.js';
export * from './build-batch.js';
export * from './sign-request.js';
export * from './retry-schedule.js';
export * from './webhook.js';
export * from './env.js';
