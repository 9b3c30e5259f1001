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
    // The application's targets change (migration 12) before any endpoint row is locked: a
    // removal locks its row, then its trigger waits for ingest's groups of the old targets, one of
    // which may be writing an immediate batch for that endpoint, whose foreign key waits for the
    // row. Taken first, the wait for those groups holds no row they need.
    await trx.raw(`SELECT bump_targets_version(app_id) FROM webhooks WHERE id = ?`, [webhookId]);
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

// Ingest's reads, once per group commit: prepared statements (see preparedQuery). The first takes
// each application's share of the lock its targets' changes wait for, then reads its targets
// version (migration 12: it moves with anything fan-out reads); the second reads in full only the
// targets of applications whose version a cache does not hold.
const VERSIONS_SQL = `SELECT id, version FROM targets_of_apps($1::text[])`;
const TARGETS_SQL = `SELECT ${TARGET_COLUMNS_SQL} FROM webhooks w JOIN endpoints e ON e.webhook_id = w.id
  WHERE w.app_id = ANY($1::text[]) AND w.events && $2::text[]`;

/**
 * Per application and event type, the targets as ingest last read them, with the application's
 * targets version they were read at. With 1,000 applications a group commit holds events of
 * dozens of them; reading all their webhooks every time cost ingest about a quarter of its rate
 * (bench workload `tenants`). Bounded: past `max` targets held it starts again.
 */
export class TargetCache {
  private readonly byKey = new Map<string, { version: string; targets: Target[] }>();
  private held = 0;
  constructor(private readonly max = 50_000) {}

  get(appId: string, type: string, version: string): Target[] | undefined {
    const hit = this.byKey.get(`${appId}\n${type}`);
    return hit?.version === version ? hit.targets : undefined;
  }

  set(appId: string, type: string, version: string, targets: Target[]): void {
    if (this.held + targets.length > this.max) {
      this.byKey.clear();
      this.held = 0;
    }
    const key = `${appId}\n${type}`;
    this.held += targets.length - (this.byKey.get(key)?.targets.length ?? 0);
    this.byKey.set(key, { version, targets });
  }
}

/**
 * Per application and event type of `types`, the endpoints (enabled or not: a disabled one keeps
 * a backlog) of the application's webhooks subscribed to that type. Keyed by application, so an
 * event is matched only against its own application's webhooks: fan-out cannot cross tenants.
 * Called in ingest's transaction: its share of each application's lock makes a concurrent change
 * of the application's webhooks or endpoints wait until the queue rows written for them are
 * committed, so a deleted endpoint's trigger removes them (the check a foreign key made per queue
 * row, taken once per application). An application that no longer exists has no targets.
 */
export async function subscribedEndpoints(
  db: Db,
  typesByApp: ReadonlyMap<string, readonly string[]>,
  cache: TargetCache = new TargetCache(),
): Promise<Map<string, Map<string, Target[]>>> {
  const versions = await preparedQuery<{ id: string; version: string }>(
    db,
    'targets-versions',
    VERSIONS_SQL,
    [[...typesByApp.keys()]],
  );
  const byApp = new Map<string, Map<string, Target[]>>();
  const missing: { id: string; type: string; version: string }[] = [];
  for (const { id, version } of versions) {
    const byType = new Map<string, Target[]>();
    byApp.set(id, byType);
    for (const type of typesByApp.get(id)!) {
      const cached = cache.get(id, type, version);
      if (cached) byType.set(type, cached);
      else missing.push({ id, type, version });
    }
  }
  if (missing.length === 0) return byApp;
  const rows = await preparedQuery<Record<string, unknown>>(db, 'subscribed-targets', TARGETS_SQL, [
    [...new Set(missing.map((m) => m.id))],
    [...new Set(missing.map((m) => m.type))],
  ]);
  const read = rows.map(readTarget);
  for (const m of missing) {
    const targets = read.filter((t) => t.webhook.appId === m.id && t.webhook.events.includes(m.type));
    byApp.get(m.id)!.set(m.type, targets);
    cache.set(m.id, m.type, m.version, targets);
  }
  return byApp;
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
