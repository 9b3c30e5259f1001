import { Router } from 'express';
import { queueDepthByWebhook } from '@hookline/db';
import type { ApiDeps } from '../api-deps.js';
import { requireRole } from '../auth.js';

/** What is waiting for delivery, per webhook: the dashboard's queue column and `hookline_queue_depth`. */
export function queueRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/queue', requireRole('viewer'), async (_req, res) => {
    const depths = await queueDepthByWebhook(deps.knex);
    const webhooks = [...depths].map(([webhookId, depth]) => ({ webhookId, depth }));
    res.json({ total: webhooks.reduce((sum, w) => sum + w.depth, 0), webhooks });
  });
  return router;
}
