import { DelayedError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { webhooksWithDueRetries, webhooksWithDueWork } from '@hookline/db';
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
  /**
   * How often this worker looks for pending batches that fell due (retries, lapsed locks), in ms
   * (Default: 1000). This, not `cron`, is when retries go out.
   */
  recoveryEveryMs?: number;
}

/**
 * A tick's drain that finds its webhook busy (a recovery drain holds it) is tried again every
 * second for this long, in ms, so the tick's cut is not skipped until the next tick.
 */
const BUSY_RETRY_WINDOW_MS = 30_000;
const BUSY_RETRY_DELAY_MS = 1000;

export interface DrainWorker {
  /** Finishes in-flight batches, then closes. */
  close(): Promise<void>;
  /** The BullMQ worker, for listeners (tests, metrics). */
  worker: Worker<DrainJobData, DrainSummary | number>;
}

/**
 * The worker process's engine room: each cron tick asks Postgres which webhooks have work and
 * fans out one drain job each; drain jobs run concurrently, each under its webhook's lease. A
 * recovery sweep every second fans out drains for webhooks whose head batch fell due, so retries
 * keep their own clock, whatever the cron says.
 */
export async function startDrainWorker(deps: EngineDeps, options: DrainWorkerOptions): Promise<DrainWorker> {
  const queue = createDrainQueue(options);
  const stopping = new AbortController();

  const processJob = async (job: Job<DrainJobData>, token?: string): Promise<DrainSummary | number> => {
    if (job.data.kind === 'tick') {
      const ids = await webhooksWithDueWork(deps.knex);
      await enqueueDrains(queue, ids);
      return ids.length;
    }
    const cut = job.data.cut ?? true;
    const summary = await drainWebhook(deps, job.data.webhookId, { signal: stopping.signal, cut });
    if (
      summary.result === 'busy' &&
      cut &&
      Date.now() - job.timestamp < BUSY_RETRY_WINDOW_MS &&
      !stopping.signal.aborted
    ) {
      await job.moveToDelayed(Date.now() + BUSY_RETRY_DELAY_MS, token);
      throw new DelayedError();
    }
    return summary;
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

  let sweepFailing = false;
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return; // a slow database: never pile sweeps up
    sweeping = true;
    webhooksWithDueRetries(deps.knex)
      .then((ids) => enqueueDrains(queue, ids, { cut: false }))
      .then(
        () => {
          if (sweepFailing) deps.logger.info('recovery sweep running again');
          sweepFailing = false;
        },
        (err: unknown) => {
          // One line when it starts failing, not one a second for the whole outage.
          if (!sweepFailing) deps.logger.warn('recovery sweep failed; retrying every second', { err });
          sweepFailing = true;
        },
      )
      .finally(() => (sweeping = false));
  }, options.recoveryEveryMs ?? 1000);
  sweep.unref();

  return {
    worker,
    async close() {
      clearInterval(refresh);
      clearInterval(sweep);
      stopping.abort();
      await worker.close();
      await queue.close();
    },
  };
}
