export * from './api-error.js';
export * from './api-deps.js';
export * from './create-app.js';
export * from './immediate-dispatcher.js';
export * from './auth.js';
export * from './startup-gate.js';
export * from './route.js';
export * from './routes/all-routes.js';
