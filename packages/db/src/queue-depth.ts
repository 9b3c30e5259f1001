import type { Db } from './connect.js';

// How much waits: queued events plus those in pending batches (gauges, the queue view, stats).

/**
 * Events waiting (still queued, or in batches not yet delivered) at the endpoints `which` picks:
 * an SQL condition on `endpoint_id`, asked of both tables alike.
 */
async function waitingAt(db: Db, which: string, bindings: Record<string, string> = {}): Promise<number> {
  const res = await db.raw<{ rows: { depth: string }[] }>(
    `SELECT (SELECT count(*) FROM endpoint_queue WHERE ${which})
          + (SELECT coalesce(sum(event_count), 0) FROM batches WHERE status = 'pending' AND ${which}) AS depth`,
    bindings,
  );
  return Number(res.rows[0]?.depth ?? 0);
}

/** Events waiting for every webhook, or for one (all its endpoints). */
export function queueDepth(db: Db, webhookId?: string): Promise<number> {
  return webhookId === undefined
    ? waitingAt(db, 'true')
    : waitingAt(db, 'endpoint_id IN (SELECT id FROM endpoints WHERE webhook_id = :webhookId)', { webhookId });
}

/** Events waiting for one endpoint. */
export function endpointQueueDepth(db: Db, endpointId: string): Promise<number> {
  return waitingAt(db, 'endpoint_id = :endpointId', { endpointId });
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

/** Events waiting per application (those with any): the `hookline_app_queue_depth` gauge. */
export async function queueDepthByApp(db: Db): Promise<Map<string, number>> {
  const res = await db.raw<{ rows: { app_id: string; depth: string }[] }>(
    `SELECT w.app_id, sum(d.events) AS depth FROM (${WAITING_BY_ENDPOINT}) d
     JOIN endpoints e ON e.id = d.endpoint_id JOIN webhooks w ON w.id = e.webhook_id
     GROUP BY w.app_id`,
  );
  return new Map(res.rows.map((r) => [r.app_id, Number(r.depth)]));
}
