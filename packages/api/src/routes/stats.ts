import { appStats } from '@hookline/use-cases';
import { unwrap } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { callerOf } from '../auth.js';
import { statsSchema } from '../response-schemas.js';
import { appOf, route, type Route } from '../route.js';
import { statsQuerySchema } from '../schemas.js';

/** GET /v1/stats: the application's deliveries, a minute per bucket (use-cases' appStats). */
export function statsRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'get',
      path: '/v1/stats',
      summary: 'Deliveries per minute (success, failed), latency p50/p99, queue depth and retry backlog',
      access: { app: 'view' },
      query: statsQuerySchema,
      status: 200,
      response: statsSchema,
      errors: [400, 403, 404],
      handler: async (req, res, { query }) => {
        res.json(unwrap(await appStats(deps, callerOf(res), appOf(req), query)));
      },
    }),
  ];
}
