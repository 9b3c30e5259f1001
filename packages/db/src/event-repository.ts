import { arrayParam, type Db } from './connect.js';

export interface NewEvent {
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

/**
 * Inserts events in one statement, in input order. Ids are drawn from the sequence first so each
 * input maps to its id without relying on RETURNING order. A repeated idempotency key (earlier,
 * concurrent, or within this call) is not inserted again.
 */
export async function insertEvents(db: Db, events: readonly NewEvent[]): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  // One row of comma-separated ids: a thousand one-column rows cost more to parse than to draw.
  const idRow = await db.raw<{ rows: { ids: string }[] }>(
    `SELECT string_agg(nextval('events_id_seq')::text, ',') AS ids FROM generate_series(1, :count::int)`,
    { count: events.length },
  );
  const ids = idRow.rows[0]!.ids.split(',');
  // Without idempotency keys there is nothing to conflict with: every event is new.
  const keyed = events.some((e) => typeof e.idempotencyKey === 'string');
  const inserted = await db.raw<{ rows: { id: string }[] }>(
    `INSERT INTO events (id, type, payload, occurred_at, idempotency_key, hops)
     SELECT * FROM unnest(:ids::bigint[], :types::text[],
                          -- The payloads as one JSON array: JSON.stringify escapes natively what
                          -- pg's text[] encoding escapes in JS, element by element.
                          ARRAY(SELECT value FROM json_array_elements_text(:payloads::json)
                                WITH ORDINALITY ORDER BY ordinality),
                          :occurredAt::timestamptz[], :keys::text[], :hops::smallint[])
     ON CONFLICT (idempotency_key) DO NOTHING
     ${keyed ? 'RETURNING id::text' : ''}`,
    {
      ids: arrayParam(ids),
      types: arrayParam(events.map((e) => e.type)),
      payloads: JSON.stringify(events.map((e) => e.payload)),
      occurredAt: arrayParam(events.map((e) => e.occurredAt.toISOString())),
      keys: arrayParam(events.map((e) => e.idempotencyKey)),
      hops: arrayParam(events.map((e) => e.hops ?? 0)),
    },
  );
  if (!keyed) return ids.map((id) => ({ id, duplicate: false }));
  const fresh = new Set(inserted.rows.map((r) => r.id));
  if (fresh.size === events.length) return ids.map((id) => ({ id, duplicate: false }));

  const keys = events.filter((_, i) => !fresh.has(ids[i]!)).map((e) => e.idempotencyKey);
  const existing = await db.raw<{ rows: { id: string; idempotency_key: string }[] }>(
    `SELECT id::text, idempotency_key FROM events WHERE idempotency_key = ANY(:keys::text[])`,
    { keys: arrayParam(keys) },
  );
  const byKey = new Map(existing.rows.map((r) => [r.idempotency_key, r.id]));
  return events.map((e, i) => {
    const id = ids[i]!;
    if (fresh.has(id)) return { id, duplicate: false };
    const earlier = byKey.get(e.idempotencyKey!);
    if (earlier === undefined) throw new Error(`idempotency key conflict without a stored event`);
    return { id: earlier, duplicate: true };
  });
}

export async function countEvents(db: Db): Promise<number> {
  const row = await db('events').count<{ count: string }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}
