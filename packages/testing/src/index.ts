export * from './test-database.js';
export * from './receiver.js';
export * from './redis-prefix.js';
export * from './wait-until.js';
export * from './hookline-harness.js';
export * from './free-port.js';
export * from './api-client.js';
export * from './webhook-row.js';
