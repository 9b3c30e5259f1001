export * from './standard-webhook.js';
export * from './verify-request.js';
export * from './webhook-signature.js';
