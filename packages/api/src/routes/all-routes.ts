import type { ApiDeps } from '../api-deps.js';
import type { Route } from '../route.js';
import { apiKeyRoutes } from './api-keys.js';
import { deliveryRoutes } from './deliveries.js';
import { eventRoutes } from './events.js';
import { eventTypeRoutes } from './event-types.js';
import { healthRoutes } from './health.js';
import { queueRoutes } from './queue.js';
import { settingsRoutes } from './settings.js';
import { statsRoutes } from './stats.js';
import { tenantRoutes } from './tenants.js';
import { webhookRoutes } from './webhooks.js';

/**
 * The API's route table: every route the API serves, in matching order (ingest first, the hot
 * path). Express, /openapi.json and the auth-matrix test are all built from it.
 */
export function apiRoutes(deps: ApiDeps): Route[] {
  return [
    ...healthRoutes(deps),
    ...eventRoutes(deps),
    ...eventTypeRoutes(deps),
    ...webhookRoutes(deps),
    ...settingsRoutes(deps),
    ...deliveryRoutes(deps),
    ...apiKeyRoutes(deps),
    ...queueRoutes(deps),
    ...statsRoutes(deps),
    ...tenantRoutes(deps),
  ];
}
