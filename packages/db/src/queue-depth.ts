import type { Db } from './connect.js';

// How much waits: queued events plus those in pending batches (gauges, the queue view, stats).

/** Events waiting: still queued, or in batches not yet delivered (all webhooks, or one). */
export async function queueDepth(db: Db, webhookId?: string): Promise<number> {
  const res = await db.raw<{ rows: { depth: string }[] }>(
    `WITH mine AS (SELECT id FROM endpoints WHERE webhook_id = :webhookId::uuid)
     SELECT (SELECT count(*) FROM endpoint_queue
             WHERE :webhookId::uuid IS NULL OR endpoint_id IN (SELECT id FROM mine))
          + (SELECT coalesce(sum(event_count), 0) FROM batches
             WHERE status = 'pending' AND (:webhookId::uuid IS NULL OR endpoint_id IN (SELECT id FROM mine)))
       AS depth`,
    { webhookId: webhookId ?? null },
  );
  return Number(res.rows[0]?.depth ?? 0);
}

/** Events waiting for one endpoint (queued, or in its pending batches). */
export async function endpointQueueDepth(db: Db, endpointId: string): Promise<number> {
  const res = await db.raw<{ rows: { depth: string }[] }>(
    `SELECT (SELECT count(*) FROM endpoint_queue WHERE endpoint_id = :endpointId)
          + (SELECT coalesce(sum(event_count), 0) FROM batches
             WHERE status = 'pending' AND endpoint_id = :endpointId) AS depth`,
    { endpointId },
  );
  return Number(res.rows[0]?.depth ?? 0);
}

/**
 * What waits per endpoint, one row each for every endpoint with anything waiting: `events`
 * queued or in pending batches, and `retries`, pending batches that already failed an attempt.
 * Summed here, before any join, so readers look up only the endpoints with something waiting.
 * Shared by the queue view and the stats snapshot so both count alike.
 */
export const WAITING_BY_ENDPOINT = `
  SELECT endpoint_id, sum(events) AS events, sum(retries) AS retries FROM (
    SELECT endpoint_id, count(*) AS events, 0 AS retries FROM endpoint_queue GROUP BY endpoint_id
    UNION ALL
    SELECT endpoint_id, sum(event_count), count(*) FILTER (WHERE attempts > 0)
    FROM batches WHERE status = 'pending' GROUP BY endpoint_id) waiting
  GROUP BY endpoint_id`;

/** The same count per webhook (its endpoints summed), for every webhook with anything waiting. */
export async function queueDepthByWebhook(db: Db): Promise<Map<string, number>> {
  const res = await db.raw<{ rows: { webhook_id: string; depth: string }[] }>(
    `SELECT e.webhook_id, sum(d.events) AS depth FROM (${WAITING_BY_ENDPOINT}) d
     JOIN endpoints e ON e.id = d.endpoint_id
     GROUP BY e.webhook_id`,
  );
  return new Map(res.rows.map((r) => [r.webhook_id, Number(r.depth)]));
}
