import { Router } from 'express';
import { getBatch, getDeliveryLog } from '@hookline/db';
import { redeliverBatch } from '@hookline/delivery';
import { ApiError } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { requireRole } from '../auth.js';
import { foundWebhook } from './webhooks.js';

export function deliveryRoutes(deps: ApiDeps): Router {
  const router = Router();

  // Resends the logged delivery's batch now, same body and delivery id, logged as `redeliver`.
  router.post('/v1/deliveries/:id/redeliver', requireRole(), async (req, res) => {
    const id = req.params.id as string;
    const log = await getDeliveryLog(deps.knex, id);
    const batch = log?.batchId ? await getBatch(deps.knex, log.batchId) : undefined;
    if (!log || !batch) throw new ApiError('not_found', `No delivery ${id} (or its batch was deleted).`);
    const webhook = await foundWebhook(deps, log.webhookId);
    const sent = await redeliverBatch(deps.engine, webhook, batch.id);
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
  });

  return router;
}
