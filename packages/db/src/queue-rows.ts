import { preparedQuery, type Db } from './connect.js';

// The queue: `endpoint_queue` holds each endpoint's events not yet in a batch; a batch owns the
// events it was cut from (`batches.event_ids`) until it is delivered or fails for good.

export interface QueueRow {
  endpointId: string;
  eventId: string;
}

export async function insertQueueRows(db: Db, rows: readonly QueueRow[]): Promise<void> {
  if (rows.length === 0) return;
  const endpointIds: string[] = [];
  const eventIds: string[] = [];
  for (const r of rows) {
    endpointIds.push(r.endpointId);
    eventIds.push(r.eventId);
  }
  await preparedQuery(
    db,
    'insert-queue-rows',
    `INSERT INTO endpoint_queue (endpoint_id, event_id) SELECT * FROM unnest($1::uuid[], $2::bigint[])`,
    [endpointIds, eventIds],
  );
}

/**
 * Drops what waits for an endpoint (its backlog): queued events, and pending batches, which are
 * kept as failed (redeliverable) with the reason. Returns how many events were dropped.
 */
export async function discardBacklog(db: Db, endpointId: string): Promise<number> {
  const res = await db.raw<{ rows: { queued: string; batched: string }[] }>(
    `WITH queued AS (DELETE FROM endpoint_queue WHERE endpoint_id = :endpointId RETURNING 1),
     batched AS (
       UPDATE batches SET status = 'failed', locked_until = NULL, updated_at = now(),
         last_error = 'backlog discarded when the webhook was enabled'
       WHERE endpoint_id = :endpointId AND status = 'pending' RETURNING event_count)
     SELECT (SELECT count(*) FROM queued) AS queued, (SELECT coalesce(sum(event_count), 0) FROM batched) AS batched`,
    { endpointId },
  );
  const row = res.rows[0];
  return Number(row?.queued ?? 0) + Number(row?.batched ?? 0);
}
