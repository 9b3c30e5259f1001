import { queueDepthByWebhook } from '@hookline/db';
import type { ApiDeps } from '../api-deps.js';
import { queueDepthSchema } from '../response-schemas.js';
import { route, type Route } from '../route.js';
import { visibleWebhooks } from './webhooks.js';

/** What is waiting for delivery, per webhook: the dashboard's queue column and `hookline_queue_depth`. */
export function queueRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'get',
      path: '/v1/queue',
      summary: "Events waiting for delivery, per webhook (a disabled webhook's backlog included)",
      roles: ['viewer'],
      status: 200,
      response: queueDepthSchema,
      handler: async (_req, res) => {
        const depths = await queueDepthByWebhook(deps.knex);
        // A scoped viewer sees only the webhooks it may see.
        const visible = res.locals.principal?.eventTypes
          ? new Set((await visibleWebhooks(deps, res)).map((w) => w.id))
          : undefined;
        const webhooks = [...depths]
          .filter(([webhookId]) => !visible || visible.has(webhookId))
          .map(([webhookId, depth]) => ({ webhookId, depth }));
        res.json({ total: webhooks.reduce((sum, w) => sum + w.depth, 0), webhooks });
      },
    }),
  ];
}
