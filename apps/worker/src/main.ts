import { deliveryOptionsFromEnv, runApp } from '@hookline/core';
import { connect } from '@hookline/db';
import { appLifecycle, createMetrics, startEngine, startRetention } from '@hookline/delivery';
import { createLogger } from '@hookline/logger';
import { createRedis, startDrainWorker } from '@hookline/queue';
import pkg from '../../../package.json' with { type: 'json' };
import { readWorkerEnv } from './env.js';
import { serveMetrics } from './metrics-server.js';

await runApp('worker', async () => {
  const env = readWorkerEnv();
  const logger = createLogger({ service: 'worker', level: env.LOG_LEVEL });
  const connection = createRedis(env.REDIS_URL);
  connection.on('error', (err) => logger.warn('redis error', { err }));
  // SIGTERM: stop taking jobs, finish the batch in flight, exit 0.
  const life = appLifecycle(logger, () => connection.disconnect());
  if (!(await life.databaseReady(env.DATABASE_URL))) return;

  // A drain holds a connection only for a statement, never across a send, so many drains share
  // few connections; the cap keeps several workers inside Postgres's max_connections (100).
  const poolMax = Math.min(env.WORKER_CONCURRENCY, 16) + 4;
  const knex = connect(env.DATABASE_URL, { poolMax, synchronousCommit: false });
  const engine = await startEngine({
    knex,
    logger,
    ...deliveryOptionsFromEnv(env, pkg.version),
    asyncCommit: true,
    metrics: createMetrics(),
    snapshotQueue: true,
  });
  const metricsServer = env.WORKER_METRICS_PORT
    ? serveMetrics(engine.metrics!, env.WORKER_METRICS_PORT)
    : undefined;
  // Waits for Redis when it is down (ioredis queues commands until it reconnects).
  const worker = await startDrainWorker(engine, {
    connection,
    prefix: env.HOOKLINE_QUEUE_PREFIX,
    cron: env.WEBHOOK_CRON,
    concurrency: env.WORKER_CONCURRENCY,
  });
  // Deletes what is older than retentionDays, in small chunks, every 10 minutes.
  const retention = startRetention(engine);
  life.onShutdown(async () => {
    await retention.stop();
    await worker.close();
    metricsServer?.close();
    await engine.flushStats();
    engine.stop();
    await knex.destroy();
  });
  logger.info('worker started', { cron: env.WEBHOOK_CRON, concurrency: env.WORKER_CONCURRENCY });
});
