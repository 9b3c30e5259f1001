import type { Endpoint, Target } from '@hookline/core';
import { arrayParam, preparedQuery, type Db } from './connect.js';
import { endpointQueueDepth } from './queue-depth.js';
import { endpointColumns, readTarget, TARGET_COLUMNS_SQL } from './webhook-columns.js';

// The endpoints table: one row per callback URL of a webhook, with what delivery keeps per URL
// (its lease, failure streak and disabled state; its queue rows, batches and log point at it).

/** Adds an endpoint per URL, at positions `from`, `from + 1`… */
export async function insertEndpoints(
  db: Db,
  webhookId: string,
  urls: readonly string[],
  from: number,
  enabled: boolean,
): Promise<void> {
  if (urls.length === 0) return;
  await db('endpoints').insert(
    urls.map((url, i) => ({ webhook_id: webhookId, position: from + i, url, enabled })),
  );
}

/** Each webhook's endpoints, in order. */
export async function endpointsOf(db: Db, webhookIds: readonly string[]): Promise<Map<string, Endpoint[]>> {
  const res = await db.raw<{ rows: Record<string, unknown>[] }>(
    `SELECT ${endpointColumns.select('e')} FROM endpoints e
     WHERE e.webhook_id = ANY(:ids::uuid[]) ORDER BY e.webhook_id, e.position`,
    { ids: arrayParam(webhookIds) },
  );
  const byWebhook = new Map<string, Endpoint[]>(webhookIds.map((id) => [id, []]));
  for (const row of res.rows) {
    const endpoint = endpointColumns.read(row);
    byWebhook.get(endpoint.webhookId)?.push(endpoint);
  }
  return byWebhook;
}

/** One webhook's endpoints, in order (none when there is no such webhook). */
export async function endpointsOfWebhook(db: Db, webhookId: string): Promise<Endpoint[]> {
  return (await endpointsOf(db, [webhookId])).get(webhookId) ?? [];
}

export async function getEndpoint(db: Db, id: string): Promise<Endpoint | undefined> {
  return (await getEndpoints(db, [id]))[0];
}

/** The endpoints of these ids that exist, in the ids' order. */
export async function getEndpoints(db: Db, ids: readonly string[]): Promise<Endpoint[]> {
  const res = await db.raw<{ rows: Record<string, unknown>[] }>(
    `SELECT ${endpointColumns.select('e')} FROM unnest(:ids::uuid[]) WITH ORDINALITY AS u(id, ord)
     JOIN endpoints e ON e.id = u.id ORDER BY u.ord`,
    { ids: arrayParam(ids) },
  );
  return res.rows.map((r) => endpointColumns.read(r));
}

/**
 * Replaces a webhook's callback URLs: its first endpoint takes the first URL (its queue follows,
 * as on a `url` change); endpoints of URLs still listed after the first keep their queue, batches
 * and log; the others are deleted with their queued events (as deleting a webhook does); new URLs
 * get endpoints of their own, enabled as the first one is. Returns the events dropped.
 */
export async function setWebhookUrls(db: Db, webhookId: string, urls: readonly string[]): Promise<number> {
  return db.transaction(async (trx) => {
    const [first, ...others] = await endpointsOfWebhook(trx, webhookId);
    if (!first) return 0;
    await trx('endpoints').where({ id: first.id }).update({ url: urls[0], updated_at: trx.fn.now() });
    let dropped = 0;
    const kept = new Set<string>();
    for (const endpoint of others) {
      const position = urls.indexOf(endpoint.url, 1);
      if (position > 0 && !kept.has(endpoint.url)) {
        kept.add(endpoint.url);
        await trx('endpoints').where({ id: endpoint.id }).update({ position });
      } else {
        dropped += await endpointQueueDepth(trx, endpoint.id);
        await trx('endpoints').where({ id: endpoint.id }).delete();
      }
    }
    const added = urls.flatMap((url, position) =>
      position > 0 && !kept.has(url) ? [{ url, position }] : [],
    );
    if (added.length > 0) {
      await trx('endpoints').insert(
        added.map((a) => ({
          webhook_id: webhookId,
          position: a.position,
          url: a.url,
          enabled: first.enabled,
        })),
      );
    }
    return dropped;
  });
}

/**
 * Enables or disables every endpoint of a webhook (the API's `enabled`); enabling clears each
 * one's failure streak and disable reason. Returns the endpoints.
 */
export async function setWebhookEnabled(db: Db, webhookId: string, enabled: boolean): Promise<Endpoint[]> {
  const res = await db.raw<{ rows: Record<string, unknown>[] }>(
    `UPDATE endpoints e SET enabled = :enabled, updated_at = now(),
       consecutive_failures = CASE WHEN :enabled THEN 0 ELSE consecutive_failures END,
       disabled_reason = CASE WHEN :enabled THEN NULL ELSE disabled_reason END,
       disabled_at = CASE WHEN :enabled THEN NULL ELSE disabled_at END
     WHERE e.webhook_id = :webhookId
     RETURNING ${endpointColumns.select('e')}`,
    { enabled, webhookId },
  );
  return res.rows.map((r) => endpointColumns.read(r)).sort((a, b) => a.position - b.position);
}

/** How many webhooks have a disabled endpoint (the `hookline_webhooks_disabled` gauge). */
export async function countDisabledWebhooks(db: Db): Promise<number> {
  const res = await db.raw<{ rows: { n: string }[] }>(
    `SELECT count(DISTINCT webhook_id) AS n FROM endpoints WHERE NOT enabled`,
  );
  return Number(res.rows[0]?.n ?? 0);
}

// Ingest's reads, once per group commit: prepared statements (see preparedQuery). The first
// finds and locks the subscribed endpoints and says which version of each it is; the second reads
// in full only the targets a cache does not hold in that version. A version is the webhook row's
// (xmin changes with every update of a row) and the endpoint's fields fan-out uses: its URL,
// position and enabled state. Not its lease or failure streak, which change with every drain.
const TARGET_VERSION = `w.xmin::text || ':' || e.enabled::text || ':' || e.position::text || ':' || e.url`;
const SUBSCRIBED_SQL = `SELECT e.id, w.app_id, w.events, ${TARGET_VERSION} AS version
  FROM webhooks w JOIN endpoints e ON e.webhook_id = w.id
  WHERE w.app_id = ANY($1::text[]) AND w.events && $2::text[] FOR KEY SHARE OF e`;
const TARGETS_SQL = `SELECT ${TARGET_COLUMNS_SQL}, ${TARGET_VERSION} AS version
  FROM webhooks w JOIN endpoints e ON e.webhook_id = w.id WHERE e.id = ANY($1::uuid[])`;

/**
 * Targets as ingest last read them, by endpoint id, with the version they were read at: a changed
 * webhook, or an endpoint with another URL, position or enabled state, is read again (a cached
 * endpoint's failure streak may be older: fan-out does not use it). With 1,000 applications a
 * group commit touches hundreds of webhooks; reading each in full every time cost ingest about a
 * fifth of its rate (bench workload `tenants`). Bounded: past `max` entries it starts again.
 */
export class TargetCache {
  private readonly byEndpoint = new Map<string, { version: string; target: Target }>();
  constructor(private readonly max = 20_000) {}

  get(endpointId: string, version: string): Target | undefined {
    const hit = this.byEndpoint.get(endpointId);
    return hit?.version === version ? hit.target : undefined;
  }

  set(endpointId: string, version: string, target: Target): void {
    if (this.byEndpoint.size >= this.max) this.byEndpoint.clear();
    this.byEndpoint.set(endpointId, { version, target });
  }
}

/**
 * Per application of `types`' events, the endpoints (enabled or not: a disabled one keeps a
 * backlog) of its webhooks subscribed to any of its types. Keyed by application, so an event is
 * matched only against its own application's webhooks: fan-out cannot cross tenants. Called in
 * ingest's transaction: the KEY SHARE lock makes a concurrent delete of one of them wait until
 * the queue rows written for it are committed, so its delete trigger removes them (the check a
 * foreign key made per queue row, taken once per endpoint).
 */
export async function subscribedEndpoints(
  db: Db,
  typesByApp: ReadonlyMap<string, readonly string[]>,
  cache: TargetCache = new TargetCache(),
): Promise<Map<string, Target[]>> {
  const rows = await preparedQuery<{ id: string; app_id: string; events: string[]; version: string }>(
    db,
    'subscribed-endpoints',
    SUBSCRIBED_SQL,
    [[...typesByApp.keys()], [...new Set([...typesByApp.values()].flat())]],
  );
  // One statement for all applications; a webhook joins only its own application's list.
  const found = rows.filter((r) => r.events.some((t) => typesByApp.get(r.app_id)!.includes(t)));
  const missing = found.filter((r) => !cache.get(r.id, r.version)).map((r) => r.id);
  if (missing.length > 0) {
    const full = await preparedQuery<Record<string, unknown>>(db, 'subscribed-targets', TARGETS_SQL, [
      missing,
    ]);
    for (const row of full) cache.set(row.e_id as string, row.version as string, readTarget(row));
  }
  const byApp = new Map<string, Target[]>([...typesByApp.keys()].map((app) => [app, []]));
  for (const r of found) {
    // Read just now if it was not cached; in the rare case it changed between the two reads, the
    // newer version read second is the one to use.
    const target = cache.get(r.id, r.version) ?? (await readTargets(db, [r.id]))[0];
    if (target && target.webhook.appId === r.app_id) byApp.get(r.app_id)!.push(target);
  }
  return byApp;
}

async function readTargets(db: Db, endpointIds: readonly string[]): Promise<Target[]> {
  const full = await preparedQuery<Record<string, unknown>>(db, 'subscribed-targets', TARGETS_SQL, [
    endpointIds,
  ]);
  return full.map(readTarget);
}

/**
 * A delivery failed: the endpoint's streak grows, and the endpoint is disabled (with `reason`)
 * once it reaches `disableLimit`, or at once when `disableNow`. Returns whether this call
 * disabled it.
 */
export async function recordEndpointFailure(
  db: Db,
  id: string,
  options: { disableLimit: number; disableNow: boolean; reason: string },
): Promise<{ disabled: boolean; consecutiveFailures: number }> {
  const res = await db.raw<{ rows: { disabled: boolean; consecutive_failures: number }[] }>(
    // The row lock taken by this UPDATE orders concurrent failures of one endpoint, so exactly one
    // of them sees the streak reach the limit and reports `disabled` (one notification).
    `WITH before AS (SELECT enabled FROM endpoints WHERE id = :id)
     UPDATE endpoints e SET
       consecutive_failures = e.consecutive_failures + 1,
       enabled = e.enabled AND NOT (:disableNow OR e.consecutive_failures + 1 >= :disableLimit),
       disabled_reason = CASE WHEN e.enabled AND (:disableNow OR e.consecutive_failures + 1 >= :disableLimit)
                              THEN :reason ELSE e.disabled_reason END,
       disabled_at = CASE WHEN e.enabled AND (:disableNow OR e.consecutive_failures + 1 >= :disableLimit)
                          THEN now() ELSE e.disabled_at END,
       updated_at = now()
     FROM before WHERE e.id = :id
     RETURNING (before.enabled AND NOT e.enabled) AS disabled, e.consecutive_failures`,
    { id, disableNow: options.disableNow, disableLimit: options.disableLimit, reason: options.reason },
  );
  const row = res.rows[0];
  return { disabled: row?.disabled ?? false, consecutiveFailures: row?.consecutive_failures ?? 0 };
}
