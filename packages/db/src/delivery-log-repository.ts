import type { DeliveryMode } from '@hookline/core';
import { arrayParam, type Db } from './connect.js';

export interface NewDeliveryLog {
  webhookId: string;
  batchId: string | null;
  mode: DeliveryMode;
  /** `warning`: a note about a batch before it is sent (a template reference that found nothing). */
  status: 'success' | 'failed' | 'warning';
  statusCode: number | null;
  durationMs: number;
  attempt: number;
  eventCount: number;
  error: string | null;
  responseSnippet: string | null;
}

export interface DeliveryLog extends NewDeliveryLog {
  id: string;
  createdAt: Date;
}

const COLUMNS = `id::text, webhook_id AS "webhookId", batch_id AS "batchId", mode, status, status_code AS "statusCode",
  duration_ms AS "durationMs", attempt, event_count AS "eventCount", error, response_snippet AS "responseSnippet",
  created_at AS "createdAt"`;

/** The log row's columns as named bindings (`:webhookId`, …), shared by both inserts below. */
function logBindings(log: NewDeliveryLog) {
  return {
    webhookId: log.webhookId,
    batchId: log.batchId,
    mode: log.mode,
    status: log.status,
    statusCode: log.statusCode,
    durationMs: Math.round(log.durationMs),
    attempt: log.attempt,
    eventCount: log.eventCount,
    error: log.error,
    responseSnippet: log.responseSnippet,
  };
}

const INSERT_LOG = `INSERT INTO delivery_logs (webhook_id, batch_id, mode, status, status_code, duration_ms, attempt,
       event_count, error, response_snippet)
     VALUES (:webhookId, :batchId, :mode, :status, :statusCode, :durationMs, :attempt, :eventCount, :error,
       :responseSnippet)
     RETURNING id::text`;

/**
 * The one prune of a webhook's log: delete its rows older than the newest `:keep` (bindings
 * `:webhookId`, `:keep`, at least 1). Used alone, and inside the delivered-batch statement.
 */
const PRUNE_LOG = `DELETE FROM delivery_logs WHERE webhook_id = :webhookId AND id < (
       SELECT id FROM delivery_logs WHERE webhook_id = :webhookId ORDER BY id DESC OFFSET :keep - 1 LIMIT 1)`;

/**
 * Appends a log row and, unless `logMax` is null, prunes the webhook's log to its newest `logMax`
 * rows (the `logMax` setting), so the log stays bounded however long a webhook lives. The drain
 * prunes every few batches instead of every time (pruneDeliveryLog).
 */
export async function insertDeliveryLog(db: Db, log: NewDeliveryLog, logMax: number | null): Promise<string> {
  const res = await db.raw<{ rows: { id: string }[] }>(INSERT_LOG, logBindings(log));
  if (logMax !== null) await pruneDeliveryLog(db, log.webhookId, logMax);
  return res.rows[0]!.id;
}

export interface DeliveryWarning {
  webhookId: string;
  batchId: string;
  mode: DeliveryMode;
  eventCount: number;
  /** Why the log notes this batch (a template reference that found nothing, a reply not kept). */
  message: string;
}

/**
 * `warning` rows: notes about a batch that are not an attempt (written once, when the batch is
 * made or its reply read), so the log says why a field is blank or a reply went missing.
 */
export async function logDeliveryWarnings(db: Db, warnings: readonly DeliveryWarning[]): Promise<void> {
  if (warnings.length === 0) return;
  await db('delivery_logs').insert(
    warnings.map((w) => ({
      webhook_id: w.webhookId,
      batch_id: w.batchId,
      mode: w.mode,
      status: 'warning',
      duration_ms: 0,
      attempt: 0,
      event_count: w.eventCount,
      error: w.message.slice(0, 1000),
    })),
  );
}

/** Keeps the webhook's newest `logMax` log rows. */
export async function pruneDeliveryLog(db: Db, webhookId: string, logMax: number): Promise<void> {
  await db.raw(PRUNE_LOG, { webhookId, keep: logMax });
}

export async function getDeliveryLog(db: Db, id: string): Promise<DeliveryLog | undefined> {
  if (!/^\d{1,19}$/.test(id)) return undefined;
  const res = await db.raw<{ rows: DeliveryLog[] }>(`SELECT ${COLUMNS} FROM delivery_logs WHERE id = :id`, {
    id,
  });
  return res.rows[0];
}

/**
 * The log of one webhook row, or of several (a webhook's callback URLs), newest first; `before`
 * is a log id for paging.
 */
export async function listDeliveryLogs(
  db: Db,
  webhookIds: string | readonly string[],
  options: { limit: number; before?: string },
): Promise<DeliveryLog[]> {
  const ids = typeof webhookIds === 'string' ? [webhookIds] : webhookIds;
  const res = await db.raw<{ rows: DeliveryLog[] }>(
    `SELECT ${COLUMNS} FROM delivery_logs
     WHERE webhook_id = ANY(:ids::uuid[]) AND (:before::bigint IS NULL OR id < :before::bigint)
     ORDER BY delivery_logs.id DESC LIMIT :limit`,
    { ids: arrayParam(ids), before: options.before ?? null, limit: options.limit },
  );
  return res.rows;
}

/** Log rows newer than `afterId`, oldest first: what `deliveries tail` prints as they arrive. */
export async function listDeliveryLogsAfter(
  db: Db,
  webhookId: string,
  afterId: string,
  limit: number,
): Promise<DeliveryLog[]> {
  const res = await db.raw<{ rows: DeliveryLog[] }>(
    `SELECT ${COLUMNS} FROM delivery_logs WHERE webhook_id = :webhookId AND id > :afterId::bigint
     ORDER BY delivery_logs.id LIMIT :limit`,
    { webhookId, afterId, limit },
  );
  return res.rows;
}

/** The drain's next batch, cut while this one was in flight: stored with this one's outcome. */
export interface PreparedBatch {
  batchId: string;
  body: string;
  /** Its lock restarts here, as it is about to be sent. */
  lockMs: number;
}

/**
 * A delivered batch, recorded in one statement (one round trip, atomic): the batch settles, the
 * webhook's failure streak ends, the attempt is logged and, unless `logMax` is null, the log is
 * pruned to `logMax` rows. With `prepared`, the same statement stores the body of the batch the
 * drain sends next and renews its lock. The hot path of every delivery.
 */
export async function recordDelivered(
  db: Db,
  log: NewDeliveryLog & { batchId: string },
  logMax: number | null,
  prepared?: PreparedBatch,
): Promise<string> {
  // Every part of a statement sees one snapshot: the prune does not see the row inserted here, so
  // it keeps logMax - 1 older rows (and none at logMax 1), leaving logMax with the new one.
  const prune =
    logMax === null
      ? ''
      : logMax <= 1
        ? `pruned AS (DELETE FROM delivery_logs WHERE webhook_id = :webhookId),`
        : `pruned AS (${PRUNE_LOG}),`;
  const next = prepared
    ? `next AS (
       UPDATE batches SET body = :nextBody, locked_until = now() + make_interval(secs => :nextLockMs / 1000.0)
       WHERE id = :nextBatchId AND status = 'pending'),`
    : '';
  const res = await db.raw<{ rows: { id: string }[] }>(
    `WITH ${prune} ${next}
     settled AS (
       UPDATE batches SET status = 'success', attempts = :attempt, locked_until = NULL, last_error = NULL,
         updated_at = now()
       WHERE id = :batchId),
     streak AS (
       UPDATE webhooks SET consecutive_failures = 0 WHERE id = :webhookId AND consecutive_failures <> 0)
     ${INSERT_LOG}`,
    {
      ...logBindings({ ...log, status: 'success', error: null }),
      keep: Math.max(1, (logMax ?? 1) - 1),
      ...(prepared && {
        nextBatchId: prepared.batchId,
        nextBody: prepared.body,
        nextLockMs: prepared.lockMs,
      }),
    },
  );
  return res.rows[0]!.id;
}
