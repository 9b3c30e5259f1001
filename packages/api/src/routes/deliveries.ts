import { getBatch, getDeliveryLog, getEndpoint, getWebhook } from '@hookline/db';
import { redeliverBatch } from '@hookline/delivery';
import { ApiError } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { redeliverResultSchema } from '../response-schemas.js';
import { route, type Route } from '../route.js';

export function deliveryRoutes(deps: ApiDeps): Route[] {
  return [
    // Resends the logged delivery's batch now, same body and delivery id, logged as `redeliver`.
    route({
      method: 'post',
      path: '/v1/deliveries/{id}/redeliver',
      summary:
        "Resend a logged delivery's batch (same body and delivery id); 409 while another process is sending it",
      roles: [],
      status: 200,
      response: redeliverResultSchema,
      errors: [404, 409],
      handler: async (req, res) => {
        const id = req.params.id as string;
        const log = await getDeliveryLog(deps.knex, id);
        const batch = log?.batchId ? await getBatch(deps.knex, log.batchId) : undefined;
        if (!log || !batch) throw new ApiError('not_found', `No delivery ${id} (or its batch was deleted).`);
        // Resent to the endpoint (URL) it went to.
        const endpoint = await getEndpoint(deps.knex, batch.endpointId);
        const webhook = endpoint && (await getWebhook(deps.knex, endpoint.webhookId));
        if (!endpoint || !webhook)
          throw new ApiError('not_found', `No delivery ${id} (its webhook was deleted).`);
        const sent = await redeliverBatch(deps.engine, { webhook, endpoint }, batch.id);
        if (!sent) {
          throw new ApiError(
            'conflict',
            `Delivery ${batch.id} is being sent right now (by a worker or another redelivery); try again once that attempt ends.`,
          );
        }
        const { result, deliveryId, logId } = sent;
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
