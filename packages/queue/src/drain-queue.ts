import { Queue, type ConnectionOptions } from 'bullmq';

export const DRAIN_QUEUE = 'hookline-drain';
export const TICK_SCHEDULER_ID = 'hookline-drain-tick';

/**
 * `cut` false: a recovery drain, which sends the webhook's pending batches (retries that fell
 * due, lapsed locks) and cuts nothing new; only the cron tick's drains cut (Default: true).
 */
export type DrainJobData = { kind: 'tick' } | { kind: 'drain'; webhookId: string; cut?: boolean };

export interface QueueOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix (Default: `bull`); tests use one of their own per run. */
  prefix?: string;
}

export function createDrainQueue(options: QueueOptions): Queue<DrainJobData> {
  return new Queue<DrainJobData>(DRAIN_QUEUE, { connection: options.connection, prefix: options.prefix });
}

/**
 * Registers (or updates) the cron tick. Idempotent, so every worker calls it at start and again
 * periodically: after Redis loses its data the schedule comes back by itself.
 */
export async function upsertTickScheduler(queue: Queue<DrainJobData>, cron: string): Promise<void> {
  await queue.upsertJobScheduler(
    TICK_SCHEDULER_ID,
    { pattern: cron },
    { name: 'tick', data: { kind: 'tick' }, opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
}

/**
 * One drain job per webhook with work. The job id is the webhook's, so while one is waiting or
 * running no second is added; removing finished jobs frees the id for the next tick. Recovery
 * drains (`cut: false`) have ids of their own, so a waiting one never stands in for a tick's.
 */
export async function enqueueDrains(
  queue: Queue<DrainJobData>,
  webhookIds: readonly string[],
  options: { cut: boolean } = { cut: true },
): Promise<void> {
  if (webhookIds.length === 0) return;
  const prefix = options.cut ? 'drain' : 'retry';
  await queue.addBulk(
    webhookIds.map((webhookId) => ({
      name: prefix,
      data: { kind: 'drain' as const, webhookId, cut: options.cut },
      opts: { jobId: `${prefix}-${webhookId}`, removeOnComplete: true, removeOnFail: true },
    })),
  );
}

/** How long starting a drain from the API may wait for Redis before leaving it to the tick, in ms. */
const START_TIMEOUT_MS = 1000;

/**
 * Starts webhooks' drains now rather than at the next tick (the API does this on enable). Best
 * effort: with Redis away the tick does it later, so a failure is logged, never thrown.
 */
export function drainStarter(queue: Queue<DrainJobData>, onError: (err: unknown) => void) {
  return {
    start(webhookId: string): void {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis did not answer within ${START_TIMEOUT_MS} ms`)),
          START_TIMEOUT_MS,
        );
      });
      Promise.race([enqueueDrains(queue, [webhookId]), timeout])
        .catch(onError)
        .finally(() => clearTimeout(timer));
    },
  };
}
