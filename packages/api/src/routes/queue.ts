import { queueDepthByWebhook } from '@hookline/db';
import type { ApiDeps } from '../api-deps.js';
import { queueDepthSchema } from '../response-schemas.js';
import { route, type Route } from '../route.js';
import { listWebhooks } from '@hookline/use-cases';
import { callerOf } from '../auth.js';

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
        const caller = callerOf(res);
        const visible = caller.eventTypes
          ? new Set((await listWebhooks(deps, caller)).map((v) => v.webhook.id))
          : undefined;
        const webhooks = [...depths]
          .filter(([webhookId]) => !visible || visible.has(webhookId))
          .map(([webhookId, depth]) => ({ webhookId, depth }));
        res.json({ total: webhooks.reduce((sum, w) => sum + w.depth, 0), webhooks });
      },
    }),
  ];
}
