export * from './admin-routes.js';
export * from './admin-session.js';
export * from './portal-routes.js';
