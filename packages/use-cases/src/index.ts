export * from './outcome.js';
export * from './caller.js';
export * from './webhooks.js';
export * from './deliveries.js';
export * from './webhook-health.js';
export * from './events.js';
