import { Router } from 'express';
import type { ApiDeps } from '../api-deps.js';

async function probe(check: () => Promise<unknown>): Promise<'ok' | string> {
  try {
    await check();
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const [postgres, redis] = await Promise.all([
      probe(() => deps.engine.knex.raw('SELECT 1')),
      probe(() => deps.redis.ping()),
    ]);
    const ready = postgres === 'ok' && redis === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', postgres, redis });
  });

  return router;
}
