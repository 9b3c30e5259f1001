import { deliveryOptionsFromEnv, runApp } from '@hookline/core';
import { connect, waitForDatabase } from '@hookline/db';
import { createMetrics, startEngine, startRetention } from '@hookline/delivery';
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

  const starting = new AbortController();
  // Filled in once started: what shutdown must close.
  const started: { stop?: () => Promise<void> } = {};
  let stopping = false;
  // SIGTERM: stop taking jobs, finish the batch in flight, exit 0.
  async function shutdown(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    starting.abort();
    await started.stop?.();
    connection.disconnect();
    logger.info('stopped');
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    await waitForDatabase(env.DATABASE_URL, {
      signal: starting.signal,
      onRetry: ({ attempt, retryInMs, reason }) =>
        logger.warn('waiting for Postgres', { attempt, retryInMs, reason }),
    });
  } catch (err) {
    if (starting.signal.aborted) return; // shut down while waiting
    throw err;
  }

  const knex = connect(env.DATABASE_URL, { poolMax: env.WORKER_CONCURRENCY + 4, synchronousCommit: false });
  const engine = await startEngine({
    knex,
    logger,
    ...deliveryOptionsFromEnv(env, pkg.version),
    asyncCommit: true,
    metrics: createMetrics(),
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
  started.stop = async () => {
    await retention.stop();
    await worker.close();
    metricsServer?.close();
    engine.stop();
    await knex.destroy();
  };
  logger.info('worker started', { cron: env.WEBHOOK_CRON, concurrency: env.WORKER_CONCURRENCY });
});
