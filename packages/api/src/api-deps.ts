import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { EndpointWork } from '@hookline/db';
import type { EngineDeps, EventSink } from '@hookline/delivery';
import type { AppSource, RateLimiter } from '@hookline/use-cases';
import type { ImmediateDispatcher } from './immediate-dispatcher.js';

export interface ApiDeps {
  /**
   * The API's own pool, committing synchronously: a 201 for a webhook or a key means it is on
   * disk. (The engine's pool may commit asynchronously for delivery bookkeeping.)
   */
  knex: Knex;
  engine: EngineDeps;
  /** Postgres and Redis are probed by /readyz. */
  redis: Redis;
  immediate: ImmediateDispatcher;
  /** Where accepted events go: group commit in the apps. */
  events: EventSink;
  /** HOOKLINE_ADMIN_KEY: a bootstrap Bearer key with the admin role. */
  adminKey?: string;
  /** WEBHOOK_ALLOW_PRIVATE_URLS (Default: false). */
  allowPrivateUrls: boolean;
  /** Shown in the OpenAPI document (Default: 0.0.0). */
  version?: string;
  /** Ingest requests per second per API key, per process (Default: 0, off). */
  rateLimitPerSecond?: number;
  /** Applications' `rateLimit`, counted across every ingest process (Default: not enforced). */
  rateLimiter?: RateLimiter;
  /** Where ingest reads applications (Default: a 5-second cache of the database, app-cache.ts). */
  apps?: AppSource;
  /** Starts an endpoint's drain now (on enable) instead of at the next tick; best effort. */
  drains?: { start(work: EndpointWork): void };
}
