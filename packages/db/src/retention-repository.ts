import type { Db } from './connect.js';

// Retention: what is older than the cutoff goes, a bounded chunk per statement, so a prune of
// millions of rows never holds locks or a transaction long enough for ingest to notice. Every
// statement returns whether more may be left.

export interface Chunk {
  deleted: number;
  /** More may be left: call again. */
  more: boolean;
}

/**
 * Delivery log rows older than the cutoff (besides the per-endpoint `logMax` bound). Their id grows
 * with time: the oldest `chunk` rows by id are read (an index range, however big the table), and
 * those older than the cutoff deleted. A newer row among them means the expired ones are all gone.
 */
export async function pruneDeliveryLogsBefore(db: Db, cutoff: Date, chunk: number): Promise<Chunk> {
  const res = await db.raw<{ rows: { deleted: string; more: boolean | null }[] }>(
    `WITH oldest AS (
       SELECT id, created_at < :cutoff AS expired FROM delivery_logs ORDER BY id LIMIT :chunk FOR UPDATE SKIP LOCKED),
     gone AS (DELETE FROM delivery_logs t USING oldest o WHERE t.id = o.id AND o.expired RETURNING 1)
     SELECT (SELECT count(*) FROM gone) AS deleted,
            (SELECT count(*) = :chunk AND bool_and(expired) FROM oldest) AS more`,
    { cutoff, chunk },
  );
  const row = res.rows[0];
  return { deleted: Number(row?.deleted ?? 0), more: row?.more === true };
}

/**
 * Queued events no batch ever took before the cutoff (an endpoint disabled that long): dropped.
 * Queue rows have only the (endpoint_id, id) index (each index costs ingest a write per row), so
 * the chunk is taken from the endpoints whose oldest queued row has expired, each one's expired rows
 * being a prefix of its queue. `more` while anything was deleted.
 */
export async function dropQueuedBefore(db: Db, cutoff: Date, chunk: number): Promise<Chunk> {
  const res = await db.raw<{ rows: { deleted: string }[] }>(
    `WITH due AS (
       SELECT e.id FROM endpoints e
       WHERE (SELECT q.created_at FROM endpoint_queue q WHERE q.endpoint_id = e.id ORDER BY q.id LIMIT 1) < :cutoff),
     oldest AS (
       SELECT q.ctid FROM due CROSS JOIN LATERAL (
         SELECT ctid, created_at FROM endpoint_queue
         WHERE endpoint_id = due.id ORDER BY id LIMIT :chunk FOR UPDATE SKIP LOCKED) q
       WHERE q.created_at < :cutoff
       LIMIT :chunk),
     gone AS (DELETE FROM endpoint_queue WHERE ctid = ANY(ARRAY(SELECT ctid FROM oldest)) RETURNING 1)
     SELECT count(*) AS deleted FROM gone`,
    { cutoff, chunk },
  );
  const deleted = Number(res.rows[0]?.deleted ?? 0);
  return { deleted, more: deleted > 0 };
}

export interface BatchChunk extends Chunk {
  /** Events in dropped batches that never got through, by status. */
  droppedEvents: { pending: number; failed: number };
}

/**
 * Batches made before the cutoff: delivered ones (and test sends) go quietly; failed ones and
 * pending ones (still retrying, or waiting behind a disabled endpoint) are dropped and counted. A
 * batch someone is sending right now is left for the next pass.
 */
export async function pruneBatchesBefore(db: Db, cutoff: Date, chunk: number): Promise<BatchChunk> {
  const res = await db.raw<{ rows: { status: string; n: string; events: string; full: boolean }[] }>(
    `WITH oldest AS (
       SELECT id FROM batches
       WHERE created_at < :cutoff AND (locked_until IS NULL OR locked_until < now())
       ORDER BY created_at LIMIT :chunk FOR UPDATE SKIP LOCKED),
     gone AS (DELETE FROM batches b USING oldest o WHERE b.id = o.id RETURNING b.status, b.event_count)
     SELECT status, count(*) AS n, coalesce(sum(event_count), 0) AS events,
            (SELECT count(*) FROM oldest) = :chunk AS full
     FROM gone GROUP BY status`,
    { cutoff, chunk },
  );
  const by = (status: string) => res.rows.find((r) => r.status === status);
  return {
    deleted: res.rows.reduce((sum, r) => sum + Number(r.n), 0),
    more: res.rows.some((r) => r.full),
    droppedEvents: { pending: Number(by('pending')?.events ?? 0), failed: Number(by('failed')?.events ?? 0) },
  };
}

/**
 * Events received before the cutoff. Call it only once dropQueuedBefore has nothing more to drop:
 * queue rows are written with their events, so none of that age is queued then. Every batch that carries one has its body stored, save a batch whose worker died
 * before storing it: its events are kept until it is rendered. Deleting an event also frees its
 * idempotency key, so keys are honoured for `retentionDays` (at least 24 h).
 */
export async function pruneEventsBefore(db: Db, cutoff: Date, chunk: number): Promise<Chunk> {
  const res = await db.raw<{ rows: { deleted: string; more: boolean | null }[] }>(
    `WITH held AS (SELECT DISTINCT unnest(event_ids) AS id FROM batches WHERE status = 'pending' AND body = ''),
     oldest AS (
       SELECT e.id, e.received_at < :cutoff AS expired FROM events e ORDER BY e.id LIMIT :chunk
       FOR UPDATE SKIP LOCKED),
     gone AS (
       DELETE FROM events e USING oldest o
       WHERE e.id = o.id AND o.expired AND NOT EXISTS (SELECT 1 FROM held WHERE held.id = e.id)
       RETURNING 1)
     SELECT (SELECT count(*) FROM gone) AS deleted,
            (SELECT count(*) = :chunk AND bool_and(expired) FROM oldest) AS more`,
    { cutoff, chunk },
  );
  const row = res.rows[0];
  return { deleted: Number(row?.deleted ?? 0), more: row?.more === true && Number(row.deleted) > 0 };
}
