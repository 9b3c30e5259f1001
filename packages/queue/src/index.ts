export * from './connection.js';
export * from './drain-queue.js';
export * from './drain-worker.js';
export * from './fair-queue.js';
export * from './app-rate-limit.js';
