import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { lockMsFor } from '@hookline/core';
import { endpointsWithDueRetries, endpointsWithDueWork, workOfEndpoints } from '@hookline/db';
import { drainEndpoint, type EngineDeps } from '@hookline/delivery';
import {
  createDrainQueue,
  DRAIN_QUEUE,
  turnsFor,
  upsertTickScheduler,
  type DrainJobData,
} from './drain-queue.js';
import { startDrainSlots } from './drain-slots.js';
import { createFairQueue, DEFAULT_QUANTUM_MS, type Turn } from './fair-queue.js';

export interface DrainWorkerOptions {
  connection: Redis;
  prefix?: string;
  /** BullMQ job-scheduler pattern; 6 fields allow seconds. */
  cron: string;
  /** Drain turns this process runs at once (Default: 16). */
  concurrency?: number;
  /**
   * How long a turn sends before its slot goes to the next endpoint in line, in ms (Default: 2000),
   * unless it sent `quantumBatches` batches first (Default: 32). Checked between batches: a turn
   * is always at least one batch.
   */
  quantumMs?: number;
  quantumBatches?: number;
  /** How often the scheduler is re-registered, in ms (Default: 15000). */
  schedulerRefreshMs?: number;
  /**
   * How often this worker looks for pending batches that fell due (retries, lapsed locks), in ms
   * (Default: 1000). This, not `cron`, is when retries go out.
   */
  recoveryEveryMs?: number;
}

/** Batches in a turn at most; measured in docs/ARCHITECTURE.md ("How drains share the slots"). */
const DEFAULT_QUANTUM_BATCHES = 32;

/**
 * A turn that finds its endpoint busy (the CLI or a dead worker's unexpired lease holds it) is
 * offered again every second for this long, in ms, so a tick's cut is not skipped until the next
 * tick. Recovery turns need no such care: the sweep offers them again every second anyway.
 */
const BUSY_RETRY_WINDOW_MS = 30_000;
const BUSY_RETRY_DELAY_MS = 1000;

export interface DrainWorker {
  /** Finishes in-flight batches, then closes. */
  close(): Promise<void>;
  /** The BullMQ worker of the cron tick, for listeners (tests, metrics). */
  worker: Worker<DrainJobData, number>;
}

/**
 * The worker process's engine room: each cron tick asks Postgres which endpoints have work and
 * offers each a turn in the fair queue; this process's slots take turns from it and drain each
 * endpoint for one quantum under its lease, and an endpoint with work left rejoins the line. A
 * recovery sweep every second offers turns to endpoints whose head batch fell due, so retries keep
 * their own clock, whatever the cron says.
 */
export async function startDrainWorker(deps: EngineDeps, options: DrainWorkerOptions): Promise<DrainWorker> {
  const queue = createDrainQueue(options);
  const stopping = new AbortController();
  const quantumMs = options.quantumMs ?? DEFAULT_QUANTUM_MS;
  const quantumBatches = options.quantumBatches ?? DEFAULT_QUANTUM_BATCHES;
  const fair = createFairQueue(options.connection, { prefix: options.prefix, quantumMs });
  const busySince = new Map<string, number>();
  // A turn sends for a quantum, plus one send that may run to the timeout.
  const holdMs = () => quantumMs + lockMsFor(deps.settings.current());
  const retryTimers = new Set<NodeJS.Timeout>();

  const offer = async (turns: Turn[]) => {
    await fair.offer(turns);
    if (turns.length > 0) slots.wake();
  };

  const offerAgainLater = (turn: Turn) => {
    const since = busySince.get(turn.endpointId) ?? Date.now();
    if (Date.now() - since >= BUSY_RETRY_WINDOW_MS) return void busySince.delete(turn.endpointId);
    busySince.set(turn.endpointId, since);
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      offer([turn]).catch((err: unknown) =>
        deps.logger.warn('could not offer a busy endpoint again', { err }),
      );
    }, BUSY_RETRY_DELAY_MS);
    retryTimers.add(timer);
  };

  const slots = startDrainSlots({
    fair,
    concurrency: options.concurrency ?? 16,
    holdMs,
    async run(turn) {
      const summary = await drainEndpoint(deps, turn.endpointId, {
        signal: stopping.signal,
        cut: turn.cut,
        quantum: {
          ms: quantumMs,
          batches: quantumBatches,
          // Redis away: give the slot back; the tick offers the endpoint again from Postgres.
          othersWaiting: () => fair.renew(turn, holdMs()).catch(() => true),
        },
      });
      if (summary.result === 'busy') {
        if (turn.cut && !stopping.signal.aborted) offerAgainLater(turn);
        return undefined;
      }
      busySince.delete(turn.endpointId);
      // Stopped by shutdown: back in line, so another worker carries on at once.
      return summary.result === 'yielded' || summary.result === 'stopped' ? { cut: turn.cut } : undefined;
    },
    onError: (what, err) => deps.logger.error(what, { err }),
  });

  const processJob = async (job: Job<DrainJobData>): Promise<number> => {
    if (job.data.kind === 'drain') {
      await offer(turnsFor(await workOfEndpoints(deps.knex, [job.data.webhookId]), job.data.cut ?? true));
      return 1;
    }
    const work = await endpointsWithDueWork(deps.knex);
    await offer(turnsFor(work, true));
    return work.length;
  };

  const worker = new Worker<DrainJobData, number>(DRAIN_QUEUE, processJob, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 1,
    lockDuration: 10_000,
    stalledInterval: 5_000,
  });
  worker.on('failed', (job, err) =>
    deps.logger.error('drain tick failed', { job: job?.name, data: job?.data, err }),
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
    endpointsWithDueRetries(deps.knex)
      .then((work) => offer(turnsFor(work, false)))
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
      for (const timer of retryTimers) clearTimeout(timer);
      stopping.abort();
      await worker.close();
      await slots.close();
      await queue.close();
    },
  };
}
