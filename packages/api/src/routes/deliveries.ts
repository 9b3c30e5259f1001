import { redeliver } from '@hookline/use-cases';
import { unwrap } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { callerOf } from '../auth.js';
import { redeliverResultSchema } from '../response-schemas.js';
import { appOf, route, type Route } from '../route.js';

export function deliveryRoutes(deps: ApiDeps): Route[] {
  return [
    // Resends the logged delivery's batch now, same body and delivery id, logged as `redeliver`.
    route({
      method: 'post',
      path: '/v1/deliveries/{id}/redeliver',
      summary:
        "Resend a logged delivery's batch (same body and delivery id); 409 while another process is sending it",
      access: { app: 'change' },
      status: 200,
      response: redeliverResultSchema,
      errors: [404, 409],
      handler: async (req, res) => {
        const sends = { knex: deps.knex, apps: deps.apps, engine: deps.engine };
        const { result, deliveryId, logId } = unwrap(
          await redeliver(sends, callerOf(res), appOf(req), req.params.id as string),
        );
        res.json({
          id: logId,
          deliveryId,
          delivered: result.ok,
          statusCode: result.statusCode,
          durationMs: result.durationMs,
          ...(result.ok ? {} : { error: result.error }),
        });
      },
    }),
  ];
}
