import type { Db } from './connect.js';

// Which webhooks have work: what the drain's clocks ask Postgres, the source of truth.

/**
 * Enabled webhooks that have work now: queued events, or a pending batch that is due and not
 * being sent. This is the drain's source of truth, so a flushed Redis loses no work. It costs in
 * proportion to the webhooks with work, however many are registered: the queued ones are found by
 * a skip scan of the queue's (webhook_id, id) index (one index probe per webhook, not per row),
 * the due ones from the pending batches' partial index, and only those are looked up by id.
 */
export async function webhooksWithDueWork(db: Db): Promise<string[]> {
  const res = await db.raw<{ rows: { id: string }[] }>(
    `WITH RECURSIVE queued AS (
       (SELECT webhook_id FROM webhook_queue ORDER BY webhook_id LIMIT 1)
       UNION ALL
       SELECT (SELECT q.webhook_id FROM webhook_queue q WHERE q.webhook_id > queued.webhook_id
               ORDER BY q.webhook_id LIMIT 1)
       FROM queued WHERE queued.webhook_id IS NOT NULL),
     with_work AS (
       SELECT webhook_id FROM queued WHERE webhook_id IS NOT NULL
       UNION
       SELECT webhook_id FROM batches WHERE status = 'pending' AND next_attempt_at <= now()
         AND (locked_until IS NULL OR locked_until < now()))
     SELECT w.id FROM with_work c JOIN webhooks w ON w.id = c.webhook_id
     WHERE w.enabled AND (w.lease_until IS NULL OR w.lease_until < now())
     ORDER BY w.id`,
  );
  return res.rows.map((r) => r.id);
}

/**
 * Enabled webhooks with a pending batch that is due and not being sent: a retry that fell due,
 * a lock that lapsed (its sender died), an immediate send that failed. The recovery sweep asks
 * this every second, so retries keep their own time whatever `WEBHOOK_CRON` says.
 */
export async function webhooksWithDueRetries(db: Db): Promise<string[]> {
  // Only each webhook's head batch matters: a later batch that is due still waits behind it.
  const res = await db.raw<{ rows: { id: string }[] }>(
    `SELECT head.webhook_id AS id
     FROM (SELECT DISTINCT ON (webhook_id) webhook_id, next_attempt_at, locked_until
           FROM batches WHERE status = 'pending' ORDER BY webhook_id, seq) head
     JOIN webhooks w ON w.id = head.webhook_id
     WHERE head.next_attempt_at <= now() AND (head.locked_until IS NULL OR head.locked_until < now())
       AND w.enabled AND (w.lease_until IS NULL OR w.lease_until < now())`,
  );
  return res.rows.map((r) => r.id);
}
