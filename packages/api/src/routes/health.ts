import { z } from 'zod';
import { pingDatabase } from '@hookline/db';
import type { ApiDeps } from '../api-deps.js';
import { healthSchema } from '../response-schemas.js';
import { route, type Route } from '../route.js';

/** A dependency that does not answer within this many ms is reported down. */
const PROBE_TIMEOUT_MS = 2000;

async function probe(check: () => Promise<unknown>): Promise<'ok' | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

const readiness = healthSchema.extend({
  postgres: z.string().describe('"ok" or the error'),
  redis: z.string().describe('"ok" or the error'),
});

/** Probes and metrics: no key needed (load balancers and Prometheus call them). */
export function healthRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'get',
      path: '/healthz',
      summary: 'Process alive',
      access: 'public',
      status: 200,
      response: healthSchema,
      handler: (_req, res) => {
        res.json({ status: 'ok' });
      },
    }),
    route({
      method: 'get',
      path: '/readyz',
      summary: 'Postgres and Redis reachable',
      access: 'public',
      status: 200,
      response: readiness,
      otherReplies: [{ status: 503, description: 'Postgres or Redis unreachable', response: readiness }],
      handler: async (_req, res) => {
        const [postgres, redis] = await Promise.all([
          probe(() => pingDatabase(deps.knex)),
          probe(() => deps.redis.ping()),
        ]);
        const ready = postgres === 'ok' && redis === 'ok';
        res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', postgres, redis });
      },
    }),
    route({
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics (text exposition format)',
      access: 'public',
      status: 200,
      handler: async (_req, res) => {
        const metrics = deps.engine.metrics;
        if (!metrics) {
          res
            .status(404)
            .json({ error: { code: 'not_found', message: 'Metrics are not enabled in this process.' } });
          return;
        }
        res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
      },
    }),
  ];
}
