import type { DeliveryMode } from '@hookline/core';
import type { Db } from './connect.js';

export interface NewDeliveryLog {
  webhookId: string;
  batchId: string | null;
  mode: DeliveryMode;
  status: 'success' | 'failed';
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

/**
 * Appends a log row and, unless `logMax` is null, prunes the webhook's log to its newest `logMax`
 * rows (the `logMax` setting), so the log stays bounded however long a webhook lives. The drain
 * prunes every few batches instead of every time (pruneDeliveryLog).
 */
export async function insertDeliveryLog(db: Db, log: NewDeliveryLog, logMax: number | null): Promise<string> {
  const res = await db.raw<{ rows: { id: string }[] }>(
    `INSERT INTO delivery_logs (webhook_id, batch_id, mode, status, status_code, duration_ms, attempt, event_count,
       error, response_snippet)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id::text`,
    [
      log.webhookId,
      log.batchId,
      log.mode,
      log.status,
      log.statusCode,
      Math.round(log.durationMs),
      log.attempt,
      log.eventCount,
      log.error,
      log.responseSnippet,
    ],
  );
  if (logMax !== null) await pruneDeliveryLog(db, log.webhookId, logMax);
  return res.rows[0]!.id;
}

/** Keeps the webhook's newest `logMax` log rows. */
export async function pruneDeliveryLog(db: Db, webhookId: string, logMax: number): Promise<void> {
  await db.raw(
    `DELETE FROM delivery_logs WHERE webhook_id = ? AND id < (
       SELECT id FROM delivery_logs WHERE webhook_id = ? ORDER BY id DESC OFFSET ? LIMIT 1)`,
    [webhookId, webhookId, logMax - 1],
  );
}

export async function getDeliveryLog(db: Db, id: string): Promise<DeliveryLog | undefined> {
  if (!/^\d{1,19}$/.test(id)) return undefined;
  const res = await db.raw<{ rows: DeliveryLog[] }>(`SELECT ${COLUMNS} FROM delivery_logs WHERE id = ?`, [
    id,
  ]);
  return res.rows[0];
}

/** Newest first; `before` is a log id for paging. */
export async function listDeliveryLogs(
  db: Db,
  webhookId: string,
  options: { limit: number; before?: string },
): Promise<DeliveryLog[]> {
  const res = await db.raw<{ rows: DeliveryLog[] }>(
    `SELECT ${COLUMNS} FROM delivery_logs
     WHERE webhook_id = ? AND (?::bigint IS NULL OR id < ?::bigint)
     ORDER BY delivery_logs.id DESC LIMIT ?`,
    [webhookId, options.before ?? null, options.before ?? null, options.limit],
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
    `SELECT ${COLUMNS} FROM delivery_logs WHERE webhook_id = ? AND id > ?::bigint
     ORDER BY delivery_logs.id LIMIT ?`,
    [webhookId, afterId, limit],
  );
  return res.rows;
}

/**
 * A delivered batch, recorded in one statement (one round trip, atomic): the batch settles, the
 * webhook's failure streak ends, the attempt is logged and, unless `logMax` is null, the log is
 * pruned to `logMax` rows. The hot path of every delivery.
 */
export async function recordDelivered(
  db: Db,
  log: NewDeliveryLog & { batchId: string },
  logMax: number | null,
): Promise<string> {
  const res = await db.raw<{ rows: { id: string }[] }>(
    // The prune sees the log as it was before this insert (one snapshot), so it keeps logMax - 1.
    `WITH pruned AS (
       DELETE FROM delivery_logs WHERE ?::int IS NOT NULL AND webhook_id = ? AND (?::int <= 1 OR id < (
         SELECT id FROM delivery_logs WHERE webhook_id = ? ORDER BY id DESC OFFSET greatest(?::int - 2, 0) LIMIT 1))),
     settled AS (
       UPDATE batches SET status = 'success', attempts = ?, locked_until = NULL, last_error = NULL, updated_at = now()
       WHERE id = ?),
     streak AS (
       UPDATE webhooks SET consecutive_failures = 0 WHERE id = ? AND consecutive_failures <> 0)
     INSERT INTO delivery_logs (webhook_id, batch_id, mode, status, status_code, duration_ms, attempt, event_count,
       error, response_snippet)
     VALUES (?, ?, ?, 'success', ?, ?, ?, ?, NULL, ?) RETURNING id::text`,
    [
      logMax,
      log.webhookId,
      logMax,
      log.webhookId,
      logMax,
      log.attempt,
      log.batchId,
      log.webhookId,
      log.webhookId,
      log.batchId,
      log.mode,
      log.statusCode,
      Math.round(log.durationMs),
      log.attempt,
      log.eventCount,
      log.responseSnippet,
    ],
  );
  return res.rows[0]!.id;
}
