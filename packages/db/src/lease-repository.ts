import type { Target } from '@hookline/core';
import type { Db } from './connect.js';
import { readTarget, TARGET_COLUMNS_SQL } from './webhook-columns.js';

// An endpoint's drain lease: who may drain it now. At most one holder at a time, across workers.

/**
 * Takes (or renews) the endpoint's drain lease for `ms` and returns it with its webhook, or
 * undefined when another owner holds it or the endpoint is disabled or gone. The lease is the
 * guard that keeps at most one batch per endpoint in flight across all workers.
 */
export async function leaseEndpoint(
  db: Db,
  id: string,
  owner: string,
  ms: number,
): Promise<Target | undefined> {
  const res = await db.raw<{ rows: Record<string, unknown>[] }>(
    // Conditional UPDATE: of two workers racing for a free lease, the second re-checks the
    // condition after the first commits and matches no row, so only one holds it.
    `WITH leased AS (
       UPDATE endpoints SET lease_owner = :owner, lease_until = now() + make_interval(secs => :ms / 1000.0)
       WHERE id = :id AND enabled AND (lease_until IS NULL OR lease_until < now() OR lease_owner = :owner)
       RETURNING *)
     SELECT ${TARGET_COLUMNS_SQL} FROM leased e JOIN webhooks w ON w.id = e.webhook_id`,
    { owner, ms, id },
  );
  const row = res.rows[0];
  return row ? readTarget(row) : undefined;
}

export async function releaseLease(db: Db, endpointId: string, owner: string): Promise<void> {
  await db.raw(
    `UPDATE endpoints SET lease_owner = NULL, lease_until = NULL WHERE id = :endpointId AND lease_owner = :owner`,
    { endpointId, owner },
  );
}
