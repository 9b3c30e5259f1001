import { histogramPercentile } from '@hookline/core';
import { readStats } from '@hookline/db';
import type { ApiDeps } from '../api-deps.js';
import { statsSchema } from '../response-schemas.js';
import { route, type Route } from '../route.js';
import { statsQuerySchema } from '../schemas.js';
import { listWebhooks, showWebhook } from '@hookline/use-cases';
import { unwrap } from '../api-error.js';
import { callerOf } from '../auth.js';

const WINDOW_MINUTES = { '1h': 60, '24h': 1440 } as const;

/**
 * GET /v1/stats: a minute per bucket over the window (the current minute last), from the counters
 * the delivering processes keep; minutes without deliveries are zeros, and the queue figures are
 * null where no worker took a snapshot.
 */
export function statsRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'get',
      path: '/v1/stats',
      summary: 'Deliveries per minute (success, failed), latency p50/p99, queue depth and retry backlog',
      roles: ['viewer'],
      query: statsQuerySchema,
      status: 200,
      response: statsSchema,
      errors: [400, 403, 404],
      handler: async (_req, res, { query }) => {
        const caller = callerOf(res);
        let ids: string[] | null = null;
        if (query.webhook !== undefined) {
          ids = [unwrap(await showWebhook(deps, caller, query.webhook)).webhook.id];
        } else if (caller.eventTypes) {
          ids = (await listWebhooks(deps, caller)).map((v) => v.webhook.id);
        }
        // Counters are kept per webhook (all its endpoints' deliveries).
        const minutes = WINDOW_MINUTES[query.window];
        const end = Math.floor(Date.now() / 60_000) * 60_000 + 60_000;
        const start = end - minutes * 60_000;
        const rows = new Map(
          (await readStats(deps.knex, ids, new Date(start), new Date(end))).map((r) => [
            r.minute.getTime(),
            r,
          ]),
        );
        const buckets = Array.from({ length: minutes }, (_, i) => {
          const t = start + i * 60_000;
          const row = rows.get(t);
          return {
            t: new Date(t).toISOString(),
            success: row?.success ?? 0,
            failed: row?.failed ?? 0,
            p50Ms: row ? histogramPercentile(row.latency, 50) : null,
            p99Ms: row ? histogramPercentile(row.latency, 99) : null,
            queueDepth: row?.queueDepth ?? null,
            retryBacklog: row?.retryBacklog ?? null,
          };
        });
        res.json({ window: query.window, buckets });
      },
    }),
  ];
}
