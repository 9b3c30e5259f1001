import type { Webhook } from '@hookline/core';
import type { Db } from './connect.js';
import { toWebhook, WEBHOOK_COLUMNS_SQL, type WebhookRow } from './webhook-repository.js';

// A webhook's drain lease: who may drain it now. At most one holder at a time, across workers.

/**
 * Takes (or renews) the webhook's drain lease for `ms` and returns the webhook, or undefined when
 * another owner holds it or the webhook is disabled or gone. The lease is the guard that keeps at
 * most one batch per webhook in flight across all workers.
 */
export async function leaseWebhook(
  db: Db,
  id: string,
  owner: string,
  ms: number,
): Promise<Webhook | undefined> {
  const res = await db.raw<{ rows: WebhookRow[] }>(
    // Conditional UPDATE: of two workers racing for a free lease, the second re-checks the
    // condition after the first commits and matches no row, so only one holds it.
    `UPDATE webhooks SET lease_owner = :owner, lease_until = now() + make_interval(secs => :ms / 1000.0)
     WHERE id = :id AND enabled AND (lease_until IS NULL OR lease_until < now() OR lease_owner = :owner)
     RETURNING ${WEBHOOK_COLUMNS_SQL}`,
    { owner, ms, id },
  );
  const row = res.rows[0];
  return row ? toWebhook(row) : undefined;
}

export async function releaseLease(db: Db, webhookId: string, owner: string): Promise<void> {
  await db.raw(
    `UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE id = :webhookId AND lease_owner = :owner`,
    { webhookId, owner },
  );
}
