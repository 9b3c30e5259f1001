import { appQueue } from '@hookline/use-cases';
import { unwrap } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { callerOf } from '../auth.js';
import { queueDepthSchema } from '../response-schemas.js';
import { appOf, route, type Route } from '../route.js';

/** What is waiting for delivery, per webhook: the dashboard's queue column and `hookline_queue_depth`. */
export function queueRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'get',
      path: '/v1/queue',
      summary: "Events waiting for delivery, per webhook (a disabled webhook's backlog included)",
      access: { app: 'queue' },
      status: 200,
      response: queueDepthSchema,
      handler: async (req, res) => {
        res.json(unwrap(await appQueue(deps, callerOf(res), appOf(req))));
      },
    }),
  ];
}
