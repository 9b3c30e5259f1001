import { arrayParam, type Db } from './connect.js';
import { WAITING_BY_ENDPOINT } from './queue-depth.js';

export interface MinuteCounts {
  webhookId: string;
  minute: Date;
  success: number;
  failed: number;
  /** Counts per latency bucket (core's LATENCY_BOUNDS_MS). */
  latency: number[];
}

/**
 * Adds a flush of counters to their minutes' rows, in one statement: counts add up, latency
 * histograms add element by element. Rows of webhooks deleted meanwhile are skipped.
 */
export async function addDeliveryStats(db: Db, rows: readonly MinuteCounts[]): Promise<void> {
  if (rows.length === 0) return;
  await db.raw(
    `INSERT INTO delivery_stats (webhook_id, minute, success, failed, latency)
     SELECT u.w, u.m, u.s, u.f, string_to_array(u.l, ',')::int[]
     FROM unnest(:webhookIds::uuid[], :minutes::timestamptz[], :success::int[], :failed::int[], :latency::text[])
          AS u(w, m, s, f, l)
     WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = u.w)
     ON CONFLICT (webhook_id, minute) DO UPDATE SET
       success = delivery_stats.success + EXCLUDED.success,
       failed = delivery_stats.failed + EXCLUDED.failed,
       latency = ARRAY(
         SELECT coalesce(a, 0) + coalesce(b, 0)
         FROM unnest(delivery_stats.latency, EXCLUDED.latency) WITH ORDINALITY AS x(a, b, i) ORDER BY i)`,
    {
      webhookIds: arrayParam(rows.map((r) => r.webhookId)),
      minutes: arrayParam(rows.map((r) => r.minute.toISOString())),
      success: arrayParam(rows.map((r) => r.success)),
      failed: arrayParam(rows.map((r) => r.failed)),
      latency: arrayParam(rows.map((r) => r.latency.join(','))),
    },
  );
}

/**
 * What waits, per webhook (its endpoints summed), written into `minute`'s rows:
 * queued or batched events, and batches waiting for a retry. Only webhooks with something waiting
 * get a row; the minute is marked in queue_snapshots, so readers count the others as 0 (a row of
 * zeros per registered webhook would cost a million rows a minute at a million webhooks).
 */
export async function snapshotQueue(db: Db, minute: Date): Promise<void> {
  await db.raw(
    `WITH marked AS (INSERT INTO queue_snapshots (minute) VALUES (:minute) ON CONFLICT DO NOTHING)
     INSERT INTO delivery_stats (webhook_id, minute, queue_depth, retry_backlog)
     SELECT e.webhook_id, :minute, sum(d.events), sum(d.retries)
     FROM (${WAITING_BY_ENDPOINT}) d JOIN endpoints e ON e.id = d.endpoint_id
     GROUP BY e.webhook_id
     ON CONFLICT (webhook_id, minute) DO UPDATE SET
       queue_depth = EXCLUDED.queue_depth, retry_backlog = EXCLUDED.retry_backlog`,
    { minute },
  );
}

export interface StatsRow {
  minute: Date;
  success: number;
  failed: number;
  latency: number[];
  queueDepth: number | null;
  retryBacklog: number | null;
}

/** The minutes in [from, to) that have rows, summed over `webhookIds` (all webhooks when null). */
export async function readStats(
  db: Db,
  webhookIds: readonly string[] | null,
  from: Date,
  to: Date,
): Promise<StatsRow[]> {
  const res = await db.raw<{
    rows: {
      minute: Date;
      success: string;
      failed: string;
      latency: number[];
      queue_depth: string | null;
      retry_backlog: string | null;
    }[];
  }>(
    // One pass over the window's rows: counters summed per minute, and the latency histograms
    // summed bucket by bucket (a minute with only a queue snapshot has an empty one).
    `WITH s AS (
       SELECT * FROM delivery_stats
       WHERE minute >= :from AND minute < :to AND (:all OR webhook_id = ANY(:ids::uuid[]))),
     buckets AS (
       SELECT s.minute, x.i, sum(x.v)::int AS v
       FROM s CROSS JOIN unnest(s.latency) WITH ORDINALITY AS x(v, i) GROUP BY s.minute, x.i),
     latency AS (SELECT minute, array_agg(v ORDER BY i) AS latency FROM buckets GROUP BY minute),
     per_minute AS (
       SELECT s.minute, sum(s.success) AS success, sum(s.failed) AS failed,
              coalesce(l.latency, '{}') AS latency,
              sum(s.queue_depth) AS queue_depth, sum(s.retry_backlog) AS retry_backlog
       FROM s LEFT JOIN latency l ON l.minute = s.minute
       GROUP BY s.minute, l.latency),
     -- A minute with a snapshot: webhooks without a row had nothing waiting.
     snapshots AS (SELECT minute FROM queue_snapshots WHERE minute >= :from AND minute < :to)
     SELECT coalesce(p.minute, q.minute) AS minute, coalesce(p.success, 0) AS success,
            coalesce(p.failed, 0) AS failed, coalesce(p.latency, '{}') AS latency,
            CASE WHEN q.minute IS NULL THEN p.queue_depth ELSE coalesce(p.queue_depth, 0) END AS queue_depth,
            CASE WHEN q.minute IS NULL THEN p.retry_backlog ELSE coalesce(p.retry_backlog, 0) END AS retry_backlog
     FROM per_minute p FULL JOIN snapshots q ON q.minute = p.minute
     ORDER BY 1`,
    { all: webhookIds === null, ids: arrayParam(webhookIds ?? []), from, to },
  );
  return res.rows.map((r) => ({
    minute: r.minute,
    success: Number(r.success),
    failed: Number(r.failed),
    latency: r.latency,
    queueDepth: r.queue_depth === null ? null : Number(r.queue_depth),
    retryBacklog: r.retry_backlog === null ? null : Number(r.retry_backlog),
  }));
}

/** Retention: per-minute rows older than `cutoff` (and the marks of their queue snapshots). */
export async function pruneStatsBefore(db: Db, cutoff: Date): Promise<number> {
  await db('queue_snapshots').where('minute', '<', cutoff).delete();
  return db('delivery_stats').where('minute', '<', cutoff).delete();
}
