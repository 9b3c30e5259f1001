import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { adminRoutes } from '@hookline/admin';
import { createApp, createImmediateDispatcher } from '@hookline/api';
import { connect } from '@hookline/db';
import { createGroupCommit, createMetrics, startEngine } from '@hookline/delivery';
import { deliveryOptionsFromEnv } from '@hookline/core';
import { createLogger } from '@hookline/logger';
import { createDrainQueue, createRedis } from '@hookline/queue';
import pkg from '../../../package.json' with { type: 'json' };
import { readIngestEnv } from './env.js';

const env = readIngestEnv();
const logger = createLogger({ service: 'ingest', level: env.LOG_LEVEL });
// Two pools: the API's commits synchronously (a 201 means saved); the engine's commits delivery
// bookkeeping asynchronously, as the worker does, while accepted events are forced synchronous.
const knex = connect(env.DATABASE_URL, { poolMax: 8 });
const engineKnex = connect(env.DATABASE_URL, { poolMax: 16, synchronousCommit: false });
const redis = createRedis(env.REDIS_URL);
redis.on('error', (err) => logger.warn('redis error', { err }));

const engine = await startEngine({
  knex: engineKnex,
  metrics: createMetrics({ knex }),
  logger,
  ...deliveryOptionsFromEnv(env, pkg.version),
  asyncCommit: true,
});
const immediate = createImmediateDispatcher(engine);
const events = createGroupCommit(engine);
// Bull Board's view of the drain queue the workers consume.
const drainQueue = createDrainQueue({ connection: redis, prefix: env.HOOKLINE_QUEUE_PREFIX });
const app = createApp(
  {
    knex,
    engine,
    redis,
    immediate,
    events,
    adminKey: env.HOOKLINE_ADMIN_KEY,
    allowPrivateUrls: env.WEBHOOK_ALLOW_PRIVATE_URLS,
    rateLimitPerSecond: env.HOOKLINE_RATE_LIMIT,
    version: pkg.version,
  },
  { '/admin': (authenticate) => adminRoutes({ authenticate, queues: [drainQueue] }) },
);

const server = app.listen(env.PORT, env.HOST);
await once(server, 'listening');
logger.info('ingest listening', { port: (server.address() as AddressInfo).port });

// SIGTERM: stop accepting, let in-flight requests and immediate sends finish, then close pools.
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down', { signal });
  server.close();
  server.closeIdleConnections();
  await once(server, 'close');
  await immediate.idle();
  engine.stop();
  await drainQueue.close();
  await Promise.all([knex.destroy(), engineKnex.destroy()]);
  redis.disconnect();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
