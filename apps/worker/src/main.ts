import { connect } from '@hookline/db';
import { createMetrics, startEngine } from '@hookline/delivery';
import { deliveryOptionsFromEnv } from '@hookline/core';
import { createLogger } from '@hookline/logger';
import { createRedis, startDrainWorker } from '@hookline/queue';
import pkg from '../../../package.json' with { type: 'json' };
import { readWorkerEnv } from './env.js';
import { serveMetrics } from './metrics-server.js';

const env = readWorkerEnv();
const logger = createLogger({ service: 'worker', level: env.LOG_LEVEL });
const knex = connect(env.DATABASE_URL, { poolMax: env.WORKER_CONCURRENCY + 4, synchronousCommit: false });
const connection = createRedis(env.REDIS_URL);
connection.on('error', (err) => logger.warn('redis error', { err }));

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
const worker = await startDrainWorker(engine, {
  connection,
  prefix: env.HOOKLINE_QUEUE_PREFIX,
  cron: env.WEBHOOK_CRON,
  concurrency: env.WORKER_CONCURRENCY,
});
logger.info('worker started', { cron: env.WEBHOOK_CRON, concurrency: env.WORKER_CONCURRENCY });

// SIGTERM: stop taking jobs, finish the batch in flight, exit 0.
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down', { signal });
  await worker.close();
  metricsServer?.close();
  engine.stop();
  await knex.destroy();
  connection.disconnect();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
