import type { Db } from './connect.js';

// How much waits: queued events plus those in pending batches (gauges, the queue view, stats).

/** Events waiting: still queued, or in batches not yet delivered (all webhooks, or one). */
export async function queueDepth(db: Db, webhookId?: string): Promise<number> {
  const res = await db.raw<{ rows: { depth: string }[] }>(
    `SELECT (SELECT count(*) FROM webhook_queue WHERE :webhookId::uuid IS NULL OR webhook_id = :webhookId::uuid)
          + (SELECT coalesce(sum(event_count), 0) FROM batches
             WHERE status = 'pending' AND (:webhookId::uuid IS NULL OR webhook_id = :webhookId::uuid)) AS depth`,
    { webhookId: webhookId ?? null },
  );
  return Number(res.rows[0]?.depth ?? 0);
}

/**
 * What waits per webhook row, one row each for every webhook row with anything waiting: `events`
 * queued or in pending batches, and `retries`, pending batches that already failed an attempt.
 * Summed here, before any join, so readers look up only the rows with something waiting. Shared
 * by the queue view and the stats snapshot so both count alike.
 */
export const WAITING_BY_ROW = `
  SELECT webhook_id, sum(events) AS events, sum(retries) AS retries FROM (
    SELECT webhook_id, count(*) AS events, 0 AS retries FROM webhook_queue GROUP BY webhook_id
    UNION ALL
    SELECT webhook_id, sum(event_count), count(*) FILTER (WHERE attempts > 0)
    FROM batches WHERE status = 'pending' GROUP BY webhook_id) waiting
  GROUP BY webhook_id`;

/** The same count per webhook, for every webhook with anything waiting. */
export async function queueDepthByWebhook(
  db: Db,
  options: { mergeUrls?: boolean } = {},
): Promise<Map<string, number>> {
  // mergeUrls: a webhook's other URLs' rows count under the webhook the API shows.
  const owner = options.mergeUrls ? 'coalesce(w.primary_id, w.id)' : 'd.webhook_id';
  const res = await db.raw<{ rows: { webhook_id: string; depth: string }[] }>(
    `SELECT ${owner} AS webhook_id, sum(d.events) AS depth FROM (${WAITING_BY_ROW}) d
     JOIN webhooks w ON w.id = d.webhook_id
     GROUP BY ${owner}`,
  );
  return new Map(res.rows.map((r) => [r.webhook_id, Number(r.depth)]));
}
