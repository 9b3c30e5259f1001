import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { webhooksWithDueWork } from '@hookline/db';
import { drainWebhook, type DrainSummary, type EngineDeps } from '@hookline/delivery';
import {
  createDrainQueue,
  DRAIN_QUEUE,
  enqueueDrains,
  upsertTickScheduler,
  type DrainJobData,
} from './drain-queue.js';

export interface DrainWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  /** BullMQ job-scheduler pattern; 6 fields allow seconds. */
  cron: string;
  /** Webhooks drained at once by this process (Default: 16). */
  concurrency?: number;
  /** How often the scheduler is re-registered, in ms (Default: 15000). */
  schedulerRefreshMs?: number;
}

export interface DrainWorker {
  /** Finishes in-flight batches, then closes. */
  close(): Promise<void>;
  /** The BullMQ worker, for listeners (tests, metrics). */
  worker: Worker<DrainJobData, DrainSummary | number>;
}

/**
 * The worker process's engine room: each cron tick asks Postgres which webhooks have work and
 * fans out one drain job each; drain jobs run concurrently, each under its webhook's lease.
 */
export async function startDrainWorker(deps: EngineDeps, options: DrainWorkerOptions): Promise<DrainWorker> {
  const queue = createDrainQueue(options);
  const stopping = new AbortController();

  const processJob = async (job: Job<DrainJobData>): Promise<DrainSummary | number> => {
    if (job.data.kind === 'tick') {
      const ids = await webhooksWithDueWork(deps.knex);
      await enqueueDrains(queue, ids);
      return ids.length;
    }
    return drainWebhook(deps, job.data.webhookId, { signal: stopping.signal });
  };

  const worker = new Worker<DrainJobData, DrainSummary | number>(DRAIN_QUEUE, processJob, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 16,
    // A killed worker's drain job is noticed within ~15 s; the webhook lease (not this lock) is
    // what guarantees one batch in flight, so a short lock costs nothing in safety.
    lockDuration: 10_000,
    stalledInterval: 5_000,
  });
  worker.on('failed', (job, err) =>
    deps.logger.error('drain job failed', { job: job?.name, data: job?.data, err }),
  );
  worker.on('error', (err) => deps.logger.error('worker error', { err }));

  await upsertTickScheduler(queue, options.cron);
  const refresh = setInterval(() => {
    upsertTickScheduler(queue, options.cron).catch((err: unknown) =>
      deps.logger.warn('could not refresh the drain schedule', { err }),
    );
  }, options.schedulerRefreshMs ?? 15_000);
  refresh.unref();

  return {
    worker,
    async close() {
      clearInterval(refresh);
      stopping.abort();
      await worker.close();
      await queue.close();
    },
  };
}
