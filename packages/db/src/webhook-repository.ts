import { webhookSchema, type Webhook } from '@hookline/core';
import { arrayParam, preparedQuery, type Db } from './connect.js';
import { queueDepth } from './queue-depth.js';

// The webhooks table: one column per field of core's webhookSchema, snake_cased.

type Field = keyof Webhook;

const columnOf = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const FIELDS = Object.keys(webhookSchema.shape) as Field[];
const COLUMNS = FIELDS.map(columnOf);

/** A row as pg returns it: keyed by column. */
export type WebhookRow = Record<string, unknown>;

/** Fields stored as jsonb: knex would send a JS array as a Postgres array, so they go as text. */
const JSONB_FIELDS = new Set<Field>(['headers', 'filter', 'trigger']);

/** The columns toWebhook reads, quoted (one is "order"), for raw SQL. */
export const WEBHOOK_COLUMNS_SQL = COLUMNS.map((c) => `"${c}"`).join(', ');

export function toWebhook(r: WebhookRow): Webhook {
  return Object.fromEntries(FIELDS.map((f, i) => [f, r[COLUMNS[i]!]])) as Webhook;
}

/** What a create stores: every field but those Hookline fills in. */
export type NewWebhook = Omit<
  Webhook,
  | 'id'
  | 'previousSecret'
  | 'previousSecretExpiresAt'
  | 'primaryId'
  | 'consecutiveFailures'
  | 'disabledReason'
  | 'disabledAt'
  | 'createdAt'
  | 'updatedAt'
>;

export type WebhookChanges = Partial<NewWebhook>;

function toRow(w: WebhookChanges): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(w)) {
    if (value === undefined) continue;
    row[columnOf(field)] = JSONB_FIELDS.has(field as Field) && value !== null ? JSON.stringify(value) : value;
  }
  return row;
}

/** Creates a webhook; each of `moreUrls` gets a row of its own with the same settings (see the migration). */
export async function createWebhook(
  db: Db,
  w: NewWebhook,
  moreUrls: readonly string[] = [],
): Promise<Webhook> {
  return db.transaction(async (trx) => {
    const [row] = await trx('webhooks').insert(toRow(w)).returning(COLUMNS);
    const created = toWebhook(row as WebhookRow);
    await addUrlRows(
      trx,
      created.id,
      moreUrls.map((url, i) => ({ url, index: i + 1 })),
    );
    return created;
  });
}

// Ingest's read, once per group commit: a prepared statement (see preparedQuery).
const SUBSCRIBED_SQL = `SELECT ${WEBHOOK_COLUMNS_SQL} FROM webhooks
  WHERE events && $1::text[] FOR KEY SHARE`;

/** Columns a webhook's other URL rows do not copy from it: identity, URL and delivery state. */
const OWN_COLUMNS = new Set<string>([
  'id',
  'url',
  'primary_id',
  'consecutive_failures',
  'disabled_reason',
  'disabled_at',
  'created_at',
  'updated_at',
]);

/** The settings a URL row copies from its webhook: every other column (quoted: one is "order"). */
const SETTINGS_COLUMNS = COLUMNS.filter((c) => !OWN_COLUMNS.has(c))
  .map((c) => `"${c}"`)
  .join(', ');

async function addUrlRows(db: Db, primaryId: string, urls: readonly { url: string; index: number }[]) {
  for (const { url, index } of urls) {
    await db.raw(
      `INSERT INTO webhooks (${SETTINGS_COLUMNS}, url, primary_id, url_index)
       SELECT ${SETTINGS_COLUMNS}, :url, id, :index FROM webhooks WHERE id = :primaryId`,
      { url, index, primaryId },
    );
  }
}

/** A webhook and its other URLs' rows: `[{id, url}]`, the webhook itself first. */
export async function webhookUrlRows(db: Db, id: string): Promise<{ id: string; url: string }[]> {
  return db('webhooks')
    .select('id', 'url')
    .where({ id })
    .orWhere({ primary_id: id })
    .orderBy('url_index')
    .then((rows: { id: string; url: string }[]) => rows);
}

/** Each webhook's callback URLs in order (its own first), for the API's `urls`. */
export async function webhookUrls(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await db.raw<{ rows: { id: string; urls: string[] }[] }>(
    `SELECT w.id, array_prepend(w.url, ARRAY(
       SELECT s.url FROM webhooks s WHERE s.primary_id = w.id ORDER BY s.url_index)) AS urls
     FROM webhooks w WHERE w.id = ANY(:ids::uuid[])`,
    { ids: arrayParam(ids) },
  );
  return new Map(rows.rows.map((r) => [r.id, r.urls]));
}

/**
 * Replaces a webhook's callback URLs: the webhook's own row takes the first (its queue follows, as
 * on a `url` change); rows of URLs still listed after the first keep their queue, batches and log;
 * other rows are deleted with their queued events (as deleting a webhook does); new URLs get fresh
 * rows. Returns the events dropped.
 */
export async function setWebhookUrls(db: Db, id: string, urls: readonly string[]): Promise<number> {
  return db.transaction(async (trx) => {
    await trx('webhooks').where({ id }).update({ url: urls[0], updated_at: trx.fn.now() });
    const rows = (await webhookUrlRows(trx, id)).filter((r) => r.id !== id);
    let dropped = 0;
    const kept = new Set<string>();
    for (const row of rows) {
      const index = urls.indexOf(row.url, 1);
      if (index > 0 && !kept.has(row.url)) {
        kept.add(row.url);
        await trx('webhooks').where({ id: row.id }).update({ url_index: index });
      } else {
        dropped += await queueDepth(trx, row.id);
        await trx('webhooks').where({ id: row.id }).delete();
      }
    }
    const added = urls.flatMap((url, index) => (index > 0 && !kept.has(url) ? [{ url, index }] : []));
    await addUrlRows(trx, id, added);
    return dropped;
  });
}

export async function getWebhook(db: Db, id: string): Promise<Webhook | undefined> {
  const row = await db('webhooks')
    .select([...COLUMNS])
    .where({ id })
    .first();
  return row ? toWebhook(row as WebhookRow) : undefined;
}

export async function listWebhooks(db: Db): Promise<Webhook[]> {
  // A webhook's other URLs are rows of their own, shown through it (webhookUrls).
  const rows = await db('webhooks')
    .select([...COLUMNS])
    .whereNull('primary_id')
    .orderBy('created_at', 'asc');
  return (rows as WebhookRow[]).map(toWebhook);
}

/**
 * Applies `changes` to the webhook and, but for `url`, to its other URLs' rows; re-enabling clears
 * the failure streak and the disable reason.
 */
export async function updateWebhook(
  db: Db,
  id: string,
  changes: WebhookChanges,
): Promise<Webhook | undefined> {
  const row = toRow(changes);
  if (changes.enabled === true)
    Object.assign(row, { consecutive_failures: 0, disabled_reason: null, disabled_at: null });
  return db.transaction(async (trx) => {
    const [updated] = await trx('webhooks')
      .where({ id })
      .update({ ...row, updated_at: trx.fn.now() })
      .returning(COLUMNS);
    const { url: _ownUrl, ...shared } = row;
    if (updated && Object.keys(shared).length > 0) {
      await trx('webhooks')
        .where({ primary_id: id })
        .update({ ...shared, updated_at: trx.fn.now() });
    }
    return updated ? toWebhook(updated as WebhookRow) : undefined;
  });
}

/** Deletes the webhook; its queued events and batches go with it. Returns how many events were dropped. */
export async function deleteWebhook(
  db: Db,
  id: string,
): Promise<{ deleted: boolean; droppedEvents: number }> {
  let droppedEvents = 0;
  for (const row of await webhookUrlRows(db, id)) droppedEvents += await queueDepth(db, row.id);
  // Its other URLs' rows go with it (ON DELETE CASCADE), and every row's queue with it (a trigger).
  const deleted = await db('webhooks').where({ id }).delete();
  return { deleted: deleted > 0, droppedEvents };
}

/** How many webhooks are disabled (the `hookline_webhooks_disabled` gauge). */
export async function countDisabledWebhooks(db: Db): Promise<number> {
  const row = await db('webhooks').where({ enabled: false }).count<{ n: string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/**
 * Webhooks, enabled or not, subscribed to any of `types` (a disabled one keeps a backlog). Called
 * in ingest's transaction: the KEY SHARE lock makes a concurrent delete of one of them wait until
 * the queue rows written for it are committed, so its delete trigger removes them (the check a
 * foreign key made per queue row, taken once per webhook).
 */
export async function subscribedWebhooksFor(db: Db, types: readonly string[]): Promise<Webhook[]> {
  const rows = await preparedQuery<WebhookRow>(db, 'subscribed-webhooks', SUBSCRIBED_SQL, [types]);
  return rows.map(toWebhook);
}

/**
 * A delivery failed: the streak grows, and the webhook is disabled (with `reason`) once it reaches
 * `disableLimit`, or at once when `disableNow`. Returns whether this call disabled it.
 */
export async function recordWebhookFailure(
  db: Db,
  id: string,
  options: { disableLimit: number; disableNow: boolean; reason: string },
): Promise<{ disabled: boolean; consecutiveFailures: number }> {
  const res = await db.raw<{ rows: { disabled: boolean; consecutive_failures: number }[] }>(
    // The row lock taken by this UPDATE orders concurrent failures of one webhook, so exactly one
    // of them sees the streak reach the limit and reports `disabled` (one notification).
    `WITH before AS (SELECT enabled FROM webhooks WHERE id = :id)
     UPDATE webhooks w SET
       consecutive_failures = w.consecutive_failures + 1,
       enabled = w.enabled AND NOT (:disableNow OR w.consecutive_failures + 1 >= :disableLimit),
       disabled_reason = CASE WHEN w.enabled AND (:disableNow OR w.consecutive_failures + 1 >= :disableLimit)
                              THEN :reason ELSE w.disabled_reason END,
       disabled_at = CASE WHEN w.enabled AND (:disableNow OR w.consecutive_failures + 1 >= :disableLimit)
                          THEN now() ELSE w.disabled_at END,
       updated_at = now()
     FROM before WHERE w.id = :id
     RETURNING (before.enabled AND NOT w.enabled) AS disabled, w.consecutive_failures`,
    { id, disableNow: options.disableNow, disableLimit: options.disableLimit, reason: options.reason },
  );
  const row = res.rows[0];
  return { disabled: row?.disabled ?? false, consecutiveFailures: row?.consecutive_failures ?? 0 };
}

/** Replaces the secret; the old one keeps signing for `graceMs` (both signatures are sent). */
export async function rotateWebhookSecret(
  db: Db,
  id: string,
  secret: string,
  graceMs: number,
): Promise<Webhook | undefined> {
  const rows = await db('webhooks')
    .where({ id })
    .orWhere({ primary_id: id })
    .update({
      previous_secret: db.ref('secret'),
      previous_secret_expires_at: db.raw('now() + make_interval(secs => :graceMs / 1000.0)', { graceMs }),
      secret,
      updated_at: db.fn.now(),
    })
    .returning([...COLUMNS]);
  const row = (rows as WebhookRow[]).find((r) => r.id === id);
  return row ? toWebhook(row) : undefined;
}
