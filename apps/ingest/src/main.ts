import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminRoutes, portalRoutes } from '@hookline/admin';
import { createApp, createImmediateDispatcher, startupGate } from '@hookline/api';
import { deliveryOptionsFromEnv, runApp } from '@hookline/core';
import { connect } from '@hookline/db';
import { appLifecycle, createGroupCommit, createMetrics, startEngine } from '@hookline/delivery';
import { createLogger } from '@hookline/logger';
import {
  createAppRateLimiter,
  createDrainQueue,
  createFairQueue,
  createRedis,
  drainStarter,
} from '@hookline/queue';
import pkg from '../../../package.json' with { type: 'json' };
import { readIngestEnv } from './env.js';

await runApp('ingest', async () => {
  const env = readIngestEnv();
  const logger = createLogger({ service: 'ingest', level: env.LOG_LEVEL });
  const redis = createRedis(env.REDIS_URL);
  redis.on('error', (err) => logger.warn('redis error', { err }));

  // Listen at once: until Postgres answers, /healthz is 200, /readyz and the API 503 (Retry-After).
  const gate = startupGate();
  const server = createServer((req, res) => gate.handle(req, res));
  server.listen(env.PORT, env.HOST);
  await once(server, 'listening');
  logger.info('ingest listening', { port: (server.address() as AddressInfo).port });

  // SIGTERM: stop accepting, let in-flight requests and immediate sends finish, then close pools.
  const life = appLifecycle(logger, () => redis.disconnect());
  life.onShutdown(async () => {
    server.close();
    server.closeIdleConnections();
    await once(server, 'close');
  });
  if (!(await life.databaseReady(env.DATABASE_URL, (reason) => gate.waitingFor(reason)))) return;

  // Two pools: the API's commits synchronously (a 201 means saved); the engine's commits delivery
  // bookkeeping asynchronously, as the worker does, while accepted events are forced synchronous.
  const knex = connect(env.DATABASE_URL, { poolMax: 8 });
  const engineKnex = connect(env.DATABASE_URL, { poolMax: 16, synchronousCommit: false });
  const engine = await startEngine({
    knex: engineKnex,
    metrics: createMetrics({ knex }),
    logger,
    ...deliveryOptionsFromEnv(env, pkg.version),
    asyncCommit: true,
  });
  const immediate = createImmediateDispatcher(engine);
  // Bull Board's view of the drain tick's queue; the fair queue is where enable starts a drain.
  const drainQueue = createDrainQueue({ connection: redis, prefix: env.HOOKLINE_QUEUE_PREFIX });
  const fair = createFairQueue(redis, { prefix: env.HOOKLINE_QUEUE_PREFIX });
  const app = createApp(
    {
      knex,
      engine,
      redis,
      immediate,
      // Accepted events commit synchronously: through the API's pool, no SET LOCAL needed.
      events: createGroupCommit(engine, { knex }),
      adminKey: env.HOOKLINE_ADMIN_KEY,
      allowPrivateUrls: env.WEBHOOK_ALLOW_PRIVATE_URLS,
      rateLimitPerSecond: env.HOOKLINE_RATE_LIMIT,
      rateLimiter: createAppRateLimiter(redis, {
        prefix: env.HOOKLINE_QUEUE_PREFIX,
        onUnavailable: (err) => logger.warn('rate limit not counted: Redis unavailable', { err }),
      }),
      drains: drainStarter(fair, (err) =>
        logger.warn('could not start a drain now; the next tick will', { err }),
      ),
      version: pkg.version,
    },
    {
      '/admin': (authenticate) => adminRoutes({ authenticate, queues: [drainQueue] }),
      '/portal': () => portalRoutes({ frameAncestors: env.HOOKLINE_PORTAL_FRAME_ANCESTORS }),
    },
  );
  life.onShutdown(async () => {
    await immediate.idle();
    await engine.flushStats();
    engine.stop();
    await drainQueue.close();
    await Promise.all([knex.destroy(), engineKnex.destroy()]);
  });
  gate.open(app);
  logger.info('ingest ready');
});
