import type { Webhook } from '@hookline/core';
import { columnOf } from './columns.js';
import type { Db } from './connect.js';
import { insertEndpoints } from './endpoint-repository.js';
import { queueDepth } from './queue-depth.js';
import { webhookColumns } from './webhook-columns.js';

// The webhooks table: a webhook's configuration, one column per field of core's webhookSchema.
// Its callback URLs, and whether it is enabled, are its endpoints' (endpoint-repository).

/** Fields stored as jsonb: knex would send a JS array as a Postgres array, so they go as text. */
const JSONB_FIELDS = new Set<string>(['headers', 'filter', 'trigger']);

/** What a create stores: every field but those Hookline fills in. */
export type NewWebhook = Omit<
  Webhook,
  'id' | 'previousSecret' | 'previousSecretExpiresAt' | 'createdAt' | 'updatedAt'
>;

export type WebhookChanges = Partial<NewWebhook>;

function toRow(w: WebhookChanges): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(w)) {
    if (value === undefined) continue;
    row[columnOf(field)] = JSONB_FIELDS.has(field) && value !== null ? JSON.stringify(value) : value;
  }
  return row;
}

/** Creates a webhook and an endpoint per URL, in order (the first is its `url`). */
export async function createWebhook(
  db: Db,
  w: NewWebhook,
  endpoints: { urls: readonly string[]; enabled: boolean },
): Promise<Webhook> {
  return db.transaction(async (trx) => {
    const [row] = await trx('webhooks').insert(toRow(w)).returning(webhookColumns.columns);
    const created = webhookColumns.read(row as Record<string, unknown>);
    await insertEndpoints(trx, created.id, endpoints.urls, 0, endpoints.enabled);
    return created;
  });
}

export async function getWebhook(db: Db, id: string): Promise<Webhook | undefined> {
  const row = await db('webhooks').select(webhookColumns.columns).where({ id }).first();
  return row ? webhookColumns.read(row as Record<string, unknown>) : undefined;
}

/** Every webhook (`appId` absent) or one application's, oldest first. */
export async function listWebhooks(db: Db, appId?: string): Promise<Webhook[]> {
  const query = db('webhooks').select(webhookColumns.columns).orderBy('created_at', 'asc');
  if (appId !== undefined) void query.where({ app_id: appId });
  const rows = await query;
  return (rows as Record<string, unknown>[]).map((r) => webhookColumns.read(r));
}

/** Applies `changes` to the webhook's settings. */
export async function updateWebhook(
  db: Db,
  id: string,
  changes: WebhookChanges,
): Promise<Webhook | undefined> {
  const row = toRow(changes);
  const query = db('webhooks').where({ id });
  const [updated] = await (Object.keys(row).length === 0
    ? query.select(webhookColumns.columns)
    : query.update({ ...row, updated_at: db.fn.now() }).returning(webhookColumns.columns));
  return updated ? webhookColumns.read(updated as Record<string, unknown>) : undefined;
}

/** Deletes the webhook; its queued events and batches go with it. Returns how many events were dropped. */
export async function deleteWebhook(
  db: Db,
  id: string,
): Promise<{ deleted: boolean; droppedEvents: number }> {
  const droppedEvents = await queueDepth(db, id);
  // Its endpoints go with it (ON DELETE CASCADE), and every endpoint's queue with it (a trigger).
  const deleted = await db('webhooks').where({ id }).delete();
  return { deleted: deleted > 0, droppedEvents };
}

/** Replaces the secret; the old one keeps signing for `graceMs` (both signatures are sent). */
export async function rotateWebhookSecret(
  db: Db,
  id: string,
  secret: string,
  graceMs: number,
): Promise<Webhook | undefined> {
  const [row] = await db('webhooks')
    .where({ id })
    .update({
      previous_secret: db.ref('secret'),
      previous_secret_expires_at: db.raw('now() + make_interval(secs => :graceMs / 1000.0)', { graceMs }),
      secret,
      updated_at: db.fn.now(),
    })
    .returning(webhookColumns.columns);
  return row ? webhookColumns.read(row as Record<string, unknown>) : undefined;
}
