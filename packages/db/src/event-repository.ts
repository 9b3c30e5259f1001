import { arrayParam, preparedQuery, type Db } from './connect.js';

export interface NewEvent {
  /** The application it was posted to: only that application's webhooks take it. */
  appId: string;
  type: string;
  /** Raw JSON object text, as the producer sent it. */
  payload: string;
  occurredAt: Date;
  idempotencyKey: string | null;
  /** Hookline deliveries that led to this event (chained webhooks; Default: 0). */
  hops?: number;
  /** The parsed payload when the caller has it (filters read it); parsed on demand otherwise. */
  parsed?: unknown;
}

export interface StoredEvent {
  id: string;
  /** True when the idempotency key was seen before: the earlier event's id is returned. */
  duplicate: boolean;
}

// Draws the ids and inserts in one statement. nextval runs once per input row of the
// materialized `input`, in input order, and the ids come back as one comma-separated text in that
// order (a thousand one-column rows cost more to parse than to draw); `inserted` names the ids
// the insert kept, wanted only when idempotency keys can conflict ($6). The payloads go as one
// JSON array: JSON.stringify escapes natively what pg's text[] encoding escapes in JS.
const INSERT_EVENTS_SQL = `
  WITH input AS MATERIALIZED (
    SELECT nextval('events_id_seq') AS id, u.*
    FROM unnest($1::text[],
                ARRAY(SELECT value FROM json_array_elements_text($2::json) WITH ORDINALITY ORDER BY ordinality),
                $3::timestamptz[], $4::text[], $5::smallint[], $7::text[])
         WITH ORDINALITY AS u(type, payload, occurred_at, idempotency_key, hops, app_id, ord)
    ORDER BY u.ord),
  ins AS (
    INSERT INTO events (id, type, payload, occurred_at, idempotency_key, hops, app_id)
    SELECT id, type, payload, occurred_at, idempotency_key, hops, app_id FROM input ORDER BY ord
    ON CONFLICT (app_id, idempotency_key) DO NOTHING
    RETURNING id)
  SELECT (SELECT string_agg(id::text, ',' ORDER BY ord) FROM input) AS ids,
         CASE WHEN $6 THEN (SELECT coalesce(string_agg(id::text, ','), '') FROM ins) END AS inserted`;

/**
 * Inserts events in one statement, in input order, each input mapped to its id by position (not
 * by RETURNING order). A repeated idempotency key (earlier, concurrent, or within this call) is
 * not inserted again.
 */
export async function insertEvents(db: Db, events: readonly NewEvent[]): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  // Without idempotency keys there is nothing to conflict with: every event is new.
  const keyed = events.some((e) => typeof e.idempotencyKey === 'string');
  const [row] = await preparedQuery<{ ids: string; inserted: string | null }>(
    db,
    'insert-events',
    INSERT_EVENTS_SQL,
    [
      events.map((e) => e.type),
      JSON.stringify(events.map((e) => e.payload)),
      events.map((e) => e.occurredAt.toISOString()),
      events.map((e) => e.idempotencyKey),
      events.map((e) => e.hops ?? 0),
      keyed,
      events.map((e) => e.appId),
    ],
  );
  const ids = row!.ids.split(',');
  if (!keyed) return ids.map((id) => ({ id, duplicate: false }));
  const fresh = new Set(row!.inserted ? row!.inserted.split(',') : []);
  if (fresh.size === events.length) return ids.map((id) => ({ id, duplicate: false }));

  // Keys are unique per application: the earlier event is found by both.
  const repeated = events.filter((_, i) => !fresh.has(ids[i]!));
  const existing = await db.raw<{ rows: { id: string; app_id: string; idempotency_key: string }[] }>(
    `SELECT e.id::text, e.app_id, e.idempotency_key
     FROM unnest(:apps::text[], :keys::text[]) AS k(app_id, idempotency_key)
     JOIN events e ON e.app_id = k.app_id AND e.idempotency_key = k.idempotency_key`,
    {
      apps: arrayParam(repeated.map((e) => e.appId)),
      keys: arrayParam(repeated.map((e) => e.idempotencyKey)),
    },
  );
  const keyOf = (appId: string, key: string) => `${appId}\n${key}`;
  const byKey = new Map(existing.rows.map((r) => [keyOf(r.app_id, r.idempotency_key), r.id]));
  return events.map((e, i) => {
    const id = ids[i]!;
    if (fresh.has(id)) return { id, duplicate: false };
    const earlier = byKey.get(keyOf(e.appId, e.idempotencyKey!));
    if (earlier === undefined) throw new Error(`idempotency key conflict without a stored event`);
    return { id: earlier, duplicate: true };
  });
}
