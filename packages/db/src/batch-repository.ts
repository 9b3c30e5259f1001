import type { BatchEvent, DeliveryMode, Order } from '@hookline/core';
import { arrayParam, preparedQuery, type Db } from './connect.js';

// A batch: events cut from an endpoint's queue (it owns them, `batches.event_ids`, from then on),
// its rendered body, and its sending state: pending (with its retry clock and send lock),
// delivered, or failed for good.

export interface NewBatch {
  endpointId: string;
  mode: DeliveryMode;
  body: string;
  /** Stored events this batch carries, its own from now on (none for a test send). */
  eventIds: readonly string[];
  eventCount: number;
  /** The most hops among its events (X-Hookline-Hops is this plus one). */
  hops?: number;
  /** Lock the batch for its creator for this long (ms), so no worker sends it concurrently. */
  lockMs?: number;
}

export interface Batch {
  id: string;
  endpointId: string;
  mode: DeliveryMode;
  status: 'pending' | 'success' | 'failed';
  body: string;
  eventCount: number;
  attempts: number;
  nextAttemptAt: Date;
  hops: number;
}

const BATCH_COLUMNS = `id, endpoint_id AS "endpointId", mode, status, body, event_count AS "eventCount",
  attempts, next_attempt_at AS "nextAttemptAt", hops`;

export async function insertBatches(db: Db, batches: readonly NewBatch[]): Promise<string[]> {
  if (batches.length === 0) return [];
  const res = await db.raw<{ rows: { id: string }[] }>(
    `INSERT INTO batches (endpoint_id, mode, body, event_count, event_ids, hops, locked_until)
     SELECT w, m, b, c, string_to_array(e, ',')::bigint[], h,
            CASE WHEN l IS NULL THEN NULL ELSE now() + make_interval(secs => l / 1000.0) END
     FROM unnest(:endpointIds::uuid[], :modes::text[], :bodies::text[], :counts::int[], :eventIds::text[],
                 :hops::int[], :lockMs::int[])
          WITH ORDINALITY AS u(w, m, b, c, e, h, l, ord)
     ORDER BY ord
     RETURNING id`,
    {
      endpointIds: arrayParam(batches.map((b) => b.endpointId)),
      modes: arrayParam(batches.map((b) => b.mode)),
      bodies: arrayParam(batches.map((b) => b.body)),
      counts: arrayParam(batches.map((b) => b.eventCount)),
      eventIds: arrayParam(batches.map((b) => b.eventIds.join(','))),
      hops: arrayParam(batches.map((b) => b.hops ?? 0)),
      lockMs: arrayParam(batches.map((b) => b.lockMs ?? null)),
    },
  );
  return res.rows.map((r) => r.id);
}

export interface ClaimedEvent extends BatchEvent {
  eventId: string;
  hops: number;
}

const EVENT_COLUMNS = `e.id::text AS "eventId", e.type, e.payload, e.occurred_at AS "occurredAt", e.hops`;

/**
 * Cuts a batch in one statement: takes the next `limit` events of the endpoint's queue (oldest
 * first for `chronological`, newest first for `reverse`) out of the queue and into a new pending
 * batch, locked for `lockMs`. The batch has no body yet: the caller renders it and stores it with
 * setBatchBody before the first send. Returns undefined when the queue is empty. Callers hold the
 * endpoint's drain lease.
 */
export async function cutBatch(
  db: Db,
  endpointId: string,
  limit: number,
  order: Order,
  lockMs: number,
): Promise<{ batchId: string; events: ClaimedEvent[] } | undefined> {
  const direction = order === 'reverse' ? 'DESC' : 'ASC';
  const rows = await preparedQuery<ClaimedEvent & { batchId: string }>(
    db,
    `cut-batch-${direction}`,
    `WITH picked AS (
       -- By ctid: a TID scan whatever the plan (queue rows have no primary key).
       DELETE FROM endpoint_queue WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM endpoint_queue WHERE endpoint_id = $1 ORDER BY id ${direction} LIMIT $2))
       RETURNING id, event_id),
     batch AS (
       INSERT INTO batches (endpoint_id, mode, body, event_count, event_ids, hops, locked_until)
       SELECT $1, 'queue', '', count(*), array_agg(p.event_id ORDER BY p.id ${direction}), max(e.hops),
              now() + make_interval(secs => $3 / 1000.0)
       FROM picked p JOIN events e ON e.id = p.event_id
       HAVING count(*) > 0
       RETURNING id)
     SELECT batch.id AS "batchId", ${EVENT_COLUMNS}
     FROM picked p JOIN events e ON e.id = p.event_id CROSS JOIN batch
     ORDER BY p.id ${direction}`,
    [endpointId, limit, lockMs],
  );
  const first = rows[0];
  return first && { batchId: first.batchId, events: rows };
}

export async function setBatchBody(db: Db, batchId: string, body: string): Promise<void> {
  await db.raw(`UPDATE batches SET body = :body WHERE id = :batchId`, { body, batchId });
}

/**
 * Hands back a batch the drain cut ahead but will not send itself (its predecessor failed, or the
 * drain stops): its body is stored and its lock lifted, so it waits at the head for the next drain.
 */
export async function releaseBatch(db: Db, batchId: string, body: string): Promise<void> {
  await db.raw(
    `UPDATE batches SET body = :body, locked_until = NULL WHERE id = :batchId AND status = 'pending'`,
    {
      body,
      batchId,
    },
  );
}

/** The events a batch owns, in its order (to render a batch whose body was never stored). */
export async function batchEvents(db: Db, batchId: string): Promise<ClaimedEvent[]> {
  const res = await db.raw<{ rows: ClaimedEvent[] }>(
    `SELECT ${EVENT_COLUMNS} FROM batches b CROSS JOIN unnest(b.event_ids) WITH ORDINALITY AS u(event_id, ord)
     JOIN events e ON e.id = u.event_id WHERE b.id = :batchId ORDER BY u.ord`,
    { batchId },
  );
  return res.rows;
}

/**
 * The endpoint's oldest pending batch, whether or not someone is sending it. Callers hold the
 * endpoint's lease; a head batch that is locked (a dead worker's, or an immediate send in flight)
 * or waiting for its retry blocks everything newer, which is what keeps the endpoint's order.
 */
export async function oldestPendingBatch(
  db: Db,
  endpointId: string,
): Promise<(Batch & { due: boolean; locked: boolean }) | undefined> {
  const res = await db.raw<{ rows: (Batch & { due: boolean; locked: boolean })[] }>(
    `SELECT ${BATCH_COLUMNS}, next_attempt_at <= now() AS due,
       (locked_until IS NOT NULL AND locked_until >= now()) AS locked
     FROM batches
     WHERE endpoint_id = :endpointId AND status = 'pending'
     ORDER BY seq LIMIT 1`,
    { endpointId },
  );
  return res.rows[0];
}

/** Locks a pending batch for sending; undefined when another process holds it or it is settled. */
export async function lockBatch(db: Db, batchId: string, lockMs: number): Promise<Batch | undefined> {
  const res = await db.raw<{ rows: Batch[] }>(
    `UPDATE batches SET locked_until = now() + make_interval(secs => :lockMs / 1000.0)
     WHERE id = :batchId AND status = 'pending' AND (locked_until IS NULL OR locked_until < now())
     RETURNING ${BATCH_COLUMNS}`,
    { lockMs, batchId },
  );
  return res.rows[0];
}

export async function getBatch(db: Db, batchId: string): Promise<Batch | undefined> {
  const res = await db.raw<{ rows: Batch[] }>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE id = :batchId`, {
    batchId,
  });
  return res.rows[0];
}

/**
 * Locks a batch, whatever its status, for a manual redelivery; undefined when another process is
 * sending it right now (a worker, an immediate send, another redelivery). The same lock the
 * drain takes, so a batch is never sent by two processes at once.
 */
export async function lockBatchForResend(
  db: Db,
  batchId: string,
  lockMs: number,
): Promise<Batch | undefined> {
  const res = await db.raw<{ rows: Batch[] }>(
    `UPDATE batches SET locked_until = now() + make_interval(secs => :lockMs / 1000.0)
     WHERE id = :batchId AND (locked_until IS NULL OR locked_until < now())
     RETURNING ${BATCH_COLUMNS}`,
    { lockMs, batchId },
  );
  return res.rows[0];
}

/**
 * Ends a manual redelivery: the lock is released and, when it got through, the batch is
 * delivered (a pending batch then leaves its endpoint's queue; a failed one is made good).
 */
export async function settleResentBatch(db: Db, batchId: string, delivered: boolean): Promise<void> {
  await db.raw(
    `UPDATE batches SET locked_until = NULL, updated_at = now(),
       status = CASE WHEN :delivered THEN 'success' ELSE status END
     WHERE id = :batchId`,
    { delivered, batchId },
  );
}

/**
 * Records a test send after the fact, already settled: a test batch is never pending, so no
 * worker can pick it up and send it a second time.
 */
export async function insertTestBatch(
  db: Db,
  batch: { id: string; endpointId: string; body: string; eventCount: number; delivered: boolean },
): Promise<void> {
  await db('batches').insert({
    id: batch.id,
    endpoint_id: batch.endpointId,
    mode: 'test',
    status: batch.delivered ? 'success' : 'failed',
    body: batch.body,
    event_count: batch.eventCount,
    attempts: 1,
  });
}

/**
 * Bulk recovery (Svix's "recover"): the endpoints' batches that failed for good, made since
 * `since`, become pending again with a fresh retry schedule, so the drain resends them, oldest
 * first (`seq`), under the usual lease, lock and retry rules. Test sends are not deliveries and
 * stay as they are. Returns how many batches will be resent.
 */
export async function recoverFailedBatches(
  db: Db,
  endpointIds: readonly string[],
  since: Date,
): Promise<number> {
  const res = await db.raw<{ rows: { n: string }[] }>(
    `WITH recovered AS (
       UPDATE batches SET status = 'pending', attempts = 0, next_attempt_at = now(), locked_until = NULL,
         updated_at = now()
       WHERE endpoint_id = ANY(:ids::uuid[]) AND status = 'failed' AND mode <> 'test' AND created_at >= :since
       RETURNING 1)
     SELECT count(*) AS n FROM recovered`,
    { ids: arrayParam(endpointIds), since },
  );
  return Number(res.rows[0]?.n ?? 0);
}

/**
 * A failed attempt: retry after `retryInMs`, or, when null, the batch is recorded as failed for
 * good (it keeps its body and events for redelivery, and the endpoint's queue moves on).
 */
export async function failBatchAttempt(
  db: Db,
  batchId: string,
  attempt: number,
  error: string,
  retryInMs: number | null,
): Promise<void> {
  await db.raw(
    `UPDATE batches SET attempts = :attempt, last_error = :error, locked_until = NULL, updated_at = now(),
       status = CASE WHEN :retryInMs::int IS NULL THEN 'failed' ELSE status END,
       next_attempt_at = CASE WHEN :retryInMs::int IS NULL THEN next_attempt_at
                              ELSE now() + make_interval(secs => :retryInMs::int / 1000.0) END
     WHERE id = :batchId`,
    { attempt, error, retryInMs, batchId },
  );
}

/** The first event a batch carries (the one a one-event delivery answers for), or undefined. */
export async function batchFirstEvent(
  db: Db,
  batchId: string,
): Promise<{ id: string; type: string } | undefined> {
  const res = await db.raw<{ rows: { id: string; type: string }[] }>(
    `SELECT e.id::text AS id, e.type FROM batches b JOIN events e ON e.id = b.event_ids[1] WHERE b.id = :batchId`,
    { batchId },
  );
  return res.rows[0];
}
