import type { DeliveryMode } from '@hookline/core';
import { arrayParam, preparedQuery, type Db } from './connect.js';

export interface NewDeliveryLog {
  endpointId: string;
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
  webhookId: string;
  /** The callback URL of the endpoint this row is about. */
  endpointUrl: string;
  createdAt: Date;
}

/** A log row with its endpoint's webhook and URL, read from `delivery_logs l JOIN endpoints e`. */
const COLUMNS = `l.id::text, l.endpoint_id AS "endpointId", e.webhook_id AS "webhookId", e.url AS "endpointUrl",
  l.batch_id AS "batchId", l.mode, l.status, l.status_code AS "statusCode", l.duration_ms AS "durationMs",
  l.attempt, l.event_count AS "eventCount", l.error, l.response_snippet AS "responseSnippet",
  l.created_at AS "createdAt"`;
const FROM_LOGS = `delivery_logs l JOIN endpoints e ON e.id = l.endpoint_id`;

/** The log row's columns as named bindings (`:endpointId`, …), shared by both inserts below. */
function logBindings(log: NewDeliveryLog) {
  return {
    endpointId: log.endpointId,
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

const INSERT_LOG = `INSERT INTO delivery_logs (endpoint_id, batch_id, mode, status, status_code, duration_ms, attempt,
       event_count, error, response_snippet)
     VALUES (:endpointId, :batchId, :mode, :status, :statusCode, :durationMs, :attempt, :eventCount, :error,
       :responseSnippet)
     RETURNING id::text`;

/**
 * The one prune of an endpoint's log: delete its rows older than the newest `:keep` (bindings
 * `:endpointId`, `:keep`, at least 1). recordDelivered prunes the same way for several endpoints.
 */
const PRUNE_LOG = `DELETE FROM delivery_logs WHERE endpoint_id = :endpointId AND id < (
       SELECT id FROM delivery_logs WHERE endpoint_id = :endpointId ORDER BY id DESC OFFSET :keep - 1 LIMIT 1)`;

/**
 * Appends a log row and, unless `logMax` is null, prunes the endpoint's log to its newest `logMax`
 * rows (the `logMax` setting), so the log stays bounded however long an endpoint lives. The drain
 * prunes every few batches instead of every time (pruneDeliveryLog).
 */
export async function insertDeliveryLog(db: Db, log: NewDeliveryLog, logMax: number | null): Promise<string> {
  const res = await db.raw<{ rows: { id: string }[] }>(INSERT_LOG, logBindings(log));
  if (logMax !== null) await pruneDeliveryLog(db, log.endpointId, logMax);
  return res.rows[0]!.id;
}

export interface DeliveryWarning {
  endpointId: string;
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
      endpoint_id: w.endpointId,
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

/** Keeps the endpoint's newest `logMax` log rows. */
export async function pruneDeliveryLog(db: Db, endpointId: string, logMax: number): Promise<void> {
  await db.raw(PRUNE_LOG, { endpointId, keep: logMax });
}

export async function getDeliveryLog(db: Db, id: string): Promise<DeliveryLog | undefined> {
  if (!/^\d{1,19}$/.test(id)) return undefined;
  const res = await db.raw<{ rows: DeliveryLog[] }>(`SELECT ${COLUMNS} FROM ${FROM_LOGS} WHERE l.id = :id`, {
    id,
  });
  return res.rows[0];
}

/** A webhook's log (all its endpoints), newest first; `before` is a log id for paging. */
export async function listDeliveryLogs(
  db: Db,
  webhookId: string,
  options: { limit: number; before?: string },
): Promise<DeliveryLog[]> {
  const res = await db.raw<{ rows: DeliveryLog[] }>(
    `SELECT ${COLUMNS} FROM ${FROM_LOGS}
     WHERE e.webhook_id = :webhookId AND (:before::bigint IS NULL OR l.id < :before::bigint)
     ORDER BY l.id DESC LIMIT :limit`,
    { webhookId, before: options.before ?? null, limit: options.limit },
  );
  return res.rows;
}

/** A webhook's log rows newer than `afterId`, oldest first: what `deliveries tail` prints as they arrive. */
export async function listDeliveryLogsAfter(
  db: Db,
  webhookId: string,
  afterId: string,
  limit: number,
): Promise<DeliveryLog[]> {
  const res = await db.raw<{ rows: DeliveryLog[] }>(
    `SELECT ${COLUMNS} FROM ${FROM_LOGS} WHERE e.webhook_id = :webhookId AND l.id > :afterId::bigint
     ORDER BY l.id LIMIT :limit`,
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

/** A delivered batch, as recordDelivered takes it. */
export interface DeliveredBatch {
  log: NewDeliveryLog & { batchId: string };
  /** Prune the endpoint's log to this many rows (the `logMax` setting); null: not this time. */
  logMax: number | null;
  /** The drain's next batch: its body is stored and its lock renewed alongside. */
  prepared?: PreparedBatch;
}

/**
 * Delivered batches, recorded in one statement (one round trip, atomic) however many: each batch
 * settles, its endpoint's failure streak ends, the attempt is logged and, where `logMax` is set,
 * the endpoint's log is pruned to `logMax` rows; a `prepared` batch gets its body and a fresh lock.
 * The hot path of every delivery; concurrent sends share it (createDeliveredGroup).
 */
export async function recordDelivered(db: Db, delivered: readonly DeliveredBatch[]): Promise<void> {
  if (delivered.length === 0) return;
  const logs = delivered.map((d) => logBindings({ ...d.log, status: 'success', error: null }));
  // Every part of a statement sees one snapshot: the prune does not see the rows inserted here,
  // so of an endpoint with k new rows it keeps logMax - k older ones (none when that is 0 or less).
  const newRows = new Map<string, number>();
  const logMax = new Map<string, number>();
  for (const d of delivered) {
    newRows.set(d.log.endpointId, (newRows.get(d.log.endpointId) ?? 0) + 1);
    if (d.logMax !== null) logMax.set(d.log.endpointId, d.logMax);
  }
  const pruned = [...logMax].map(([endpointId, max]) => ({
    endpointId,
    keep: max - newRows.get(endpointId)!,
  }));
  await preparedQuery(
    db,
    'record-delivered',
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[],
         $5::int[], $6::int[], $7::int[], $8::text[],
         $9::uuid[], $10::text[], $11::int[])
         WITH ORDINALITY AS u(batch_id, endpoint_id, mode, status_code, duration_ms, attempt, event_count,
           response_snippet, next_id, next_body, next_lock_ms, ord)),
     settled AS (
       UPDATE batches b SET status = 'success', attempts = i.attempt, locked_until = NULL, last_error = NULL,
         updated_at = now()
       FROM input i WHERE b.id = i.batch_id),
     next AS (
       UPDATE batches b SET body = i.next_body,
         locked_until = now() + make_interval(secs => i.next_lock_ms / 1000.0)
       FROM input i WHERE i.next_id IS NOT NULL AND b.id = i.next_id AND b.status = 'pending'),
     streak AS (
       UPDATE endpoints e SET consecutive_failures = 0
       WHERE e.id IN (SELECT endpoint_id FROM input) AND e.consecutive_failures <> 0),
     cutoffs AS MATERIALIZED (
       SELECT p.endpoint_id, CASE WHEN p.keep <= 0 THEN 9223372036854775807 ELSE (
         SELECT l.id FROM delivery_logs l WHERE l.endpoint_id = p.endpoint_id
         ORDER BY l.id DESC OFFSET p.keep - 1 LIMIT 1) END AS cutoff
       FROM unnest($12::uuid[], $13::int[]) AS p(endpoint_id, keep)),
     pruned AS (
       DELETE FROM delivery_logs d USING cutoffs c WHERE d.endpoint_id = c.endpoint_id AND d.id < c.cutoff)
     INSERT INTO delivery_logs (endpoint_id, batch_id, mode, status, status_code, duration_ms, attempt,
       event_count, error, response_snippet)
     SELECT endpoint_id, batch_id, mode, 'success', status_code, duration_ms, attempt, event_count, NULL,
       response_snippet
     FROM input ORDER BY ord`,
    [
      logs.map((l) => l.batchId),
      logs.map((l) => l.endpointId),
      logs.map((l) => l.mode),
      logs.map((l) => l.statusCode),
      logs.map((l) => l.durationMs),
      logs.map((l) => l.attempt),
      logs.map((l) => l.eventCount),
      logs.map((l) => l.responseSnippet),
      delivered.map((d) => d.prepared?.batchId ?? null),
      delivered.map((d) => d.prepared?.body ?? null),
      delivered.map((d) => d.prepared?.lockMs ?? null),
      pruned.map((p) => p.endpointId),
      pruned.map((p) => p.keep),
    ],
  );
}

/** A webhook's latest log row, whatever its endpoint: what its health is judged by. */
export interface LatestDelivery {
  status: DeliveryLog['status'];
  statusCode: number | null;
  error: string | null;
  createdAt: Date;
}

/**
 * Each webhook's latest delivery log row, in one statement: per endpoint the newest row (one
 * probe of its log index), then per webhook the newest of those. Webhooks with no row are absent.
 */
export async function latestDeliveries(
  db: Db,
  webhookIds: readonly string[],
): Promise<Map<string, LatestDelivery>> {
  const res = await db.raw<{ rows: (LatestDelivery & { webhookId: string })[] }>(
    `SELECT DISTINCT ON (e.webhook_id) e.webhook_id AS "webhookId", l.status, l.status_code AS "statusCode",
       l.error, l.created_at AS "createdAt"
     FROM endpoints e CROSS JOIN LATERAL (
       SELECT id, status, status_code, error, created_at FROM delivery_logs
       WHERE endpoint_id = e.id ORDER BY id DESC LIMIT 1) l
     WHERE e.webhook_id = ANY(:ids::uuid[])
     ORDER BY e.webhook_id, l.id DESC`,
    { ids: arrayParam(webhookIds) },
  );
  return new Map(res.rows.map(({ webhookId, ...latest }) => [webhookId, latest]));
}
