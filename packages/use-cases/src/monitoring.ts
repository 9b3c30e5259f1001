import { histogramPercentile } from '@hookline/core';
import { queueDepthByWebhook, readStats, type StatsRow } from '@hookline/db';
import type { Caller } from './caller.js';
import { outcome, type Outcome } from './outcome.js';
import type { TenantReads } from './tenancy.js';
import { foundWebhook, visibleWebhooks } from './webhooks.js';

// Use cases that watch an application's delivery: what waits in its queue, and its stats.

/** The ids of the application's webhooks the caller may see (a scoped key: those of its types). */
const visibleWebhookIds = async (
  deps: TenantReads,
  caller: Caller,
  appId: string,
  access: 'view' | 'queue' = 'view',
) => (await visibleWebhooks(deps, caller, appId, access)).webhooks.map((w) => w.id);

/** Events waiting for delivery, per webhook of the application (a disabled one's backlog included). */
export function appQueue(
  deps: TenantReads,
  caller: Caller,
  appId: string,
): Promise<Outcome<{ total: number; webhooks: { webhookId: string; depth: number }[] }>> {
  return outcome(async () => {
    const visible = new Set(await visibleWebhookIds(deps, caller, appId, 'queue'));
    const depths = await queueDepthByWebhook(deps.knex);
    const webhooks = [...depths]
      .filter(([webhookId]) => visible.has(webhookId))
      .map(([webhookId, depth]) => ({ webhookId, depth }));
    return { total: webhooks.reduce((sum, w) => sum + w.depth, 0), webhooks };
  });
}

const WINDOW_MINUTES = { '1h': 60, '24h': 1440 } as const;

/** One minute of `GET /v1/stats` (its shape is the API's statsSchema): zeros where nothing was counted. */
function bucketOf(t: number, row: StatsRow | undefined) {
  return {
    t: new Date(t).toISOString(),
    success: row?.success ?? 0,
    failed: row?.failed ?? 0,
    p50Ms: row ? histogramPercentile(row.latency, 50) : null,
    p99Ms: row ? histogramPercentile(row.latency, 99) : null,
    queueDepth: row?.queueDepth ?? null,
    retryBacklog: row?.retryBacklog ?? null,
  };
}

/**
 * The application's deliveries (or one webhook's) a minute per bucket over the window, the
 * current minute last, from the counters the delivering processes keep: minutes without
 * deliveries are zeros, and the queue figures are null where no worker took a snapshot.
 */
export function appStats(
  deps: TenantReads,
  caller: Caller,
  appId: string,
  query: { webhook?: string | undefined; window: keyof typeof WINDOW_MINUTES },
  now: Date = new Date(),
): Promise<Outcome<{ window: string; buckets: ReturnType<typeof bucketOf>[] }>> {
  return outcome(async () => {
    const ids =
      query.webhook !== undefined
        ? [(await foundWebhook(deps, caller, appId, query.webhook, 'view')).webhook.id]
        : await visibleWebhookIds(deps, caller, appId);
    const minutes = WINDOW_MINUTES[query.window];
    const end = Math.floor(now.getTime() / 60_000) * 60_000 + 60_000;
    const start = end - minutes * 60_000;
    const rows = new Map(
      (await readStats(deps.knex, ids, new Date(start), new Date(end))).map((r) => [r.minute.getTime(), r]),
    );
    const buckets = Array.from({ length: minutes }, (_, i) => {
      const t = start + i * 60_000;
      return bucketOf(t, rows.get(t));
    });
    return { window: query.window, buckets };
  });
}
