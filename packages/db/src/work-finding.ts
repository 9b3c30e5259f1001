import { arrayParam, type Db } from './connect.js';

// Which endpoints have work: what the drain's clocks ask Postgres, the source of truth.

/** An endpoint with work, with the webhook and application its turns are shared out under. */
export interface EndpointWork {
  endpointId: string;
  webhookId: string;
  appId: string;
}

const WORK_OF = (alias: string) =>
  `SELECT ${alias}.id AS "endpointId", ${alias}.webhook_id AS "webhookId", w.app_id AS "appId"`;

/**
 * Enabled endpoints that have work now: queued events, or a pending batch that is due and not
 * being sent. This is the drain's source of truth, so a flushed Redis loses no work. It costs in
 * proportion to the endpoints with work, however many are registered: the queued ones are found
 * by a skip scan of the queue's (endpoint_id, id) index (one index probe per endpoint, not per
 * row), the due ones from the pending batches' partial index, and only those are looked up by id.
 */
export async function endpointsWithDueWork(db: Db): Promise<EndpointWork[]> {
  const res = await db.raw<{ rows: EndpointWork[] }>(
    `WITH RECURSIVE queued AS (
       (SELECT endpoint_id FROM endpoint_queue ORDER BY endpoint_id LIMIT 1)
       UNION ALL
       SELECT (SELECT q.endpoint_id FROM endpoint_queue q WHERE q.endpoint_id > queued.endpoint_id
               ORDER BY q.endpoint_id LIMIT 1)
       FROM queued WHERE queued.endpoint_id IS NOT NULL),
     with_work AS (
       SELECT endpoint_id FROM queued WHERE endpoint_id IS NOT NULL
       UNION
       SELECT endpoint_id FROM batches WHERE status = 'pending' AND next_attempt_at <= now()
         AND (locked_until IS NULL OR locked_until < now()))
     ${WORK_OF('e')} FROM with_work c JOIN endpoints e ON e.id = c.endpoint_id
     JOIN webhooks w ON w.id = e.webhook_id
     WHERE e.enabled AND (e.lease_until IS NULL OR e.lease_until < now())
     ORDER BY e.id`,
  );
  return res.rows;
}

/**
 * Enabled endpoints with a pending batch that is due and not being sent: a retry that fell due,
 * a lock that lapsed (its sender died), an immediate send that failed. The recovery sweep asks
 * this every second, so retries keep their own time whatever `WEBHOOK_CRON` says.
 */
export async function endpointsWithDueRetries(db: Db): Promise<EndpointWork[]> {
  // Only each endpoint's head batch matters: a later batch that is due still waits behind it.
  const res = await db.raw<{ rows: EndpointWork[] }>(
    `${WORK_OF('e')}
     FROM (SELECT DISTINCT ON (endpoint_id) endpoint_id, next_attempt_at, locked_until
           FROM batches WHERE status = 'pending' ORDER BY endpoint_id, seq) head
     JOIN endpoints e ON e.id = head.endpoint_id
     JOIN webhooks w ON w.id = e.webhook_id
     WHERE head.next_attempt_at <= now() AND (head.locked_until IS NULL OR head.locked_until < now())
       AND e.enabled AND (e.lease_until IS NULL OR e.lease_until < now())`,
  );
  return res.rows;
}

/** The work descriptions of these endpoints (those that exist): for turns offered by id. */
export async function workOfEndpoints(db: Db, ids: readonly string[]): Promise<EndpointWork[]> {
  const res = await db.raw<{ rows: EndpointWork[] }>(
    `${WORK_OF('e')} FROM endpoints e JOIN webhooks w ON w.id = e.webhook_id WHERE e.id = ANY(:ids::uuid[])`,
    { ids: arrayParam(ids) },
  );
  return res.rows;
}
