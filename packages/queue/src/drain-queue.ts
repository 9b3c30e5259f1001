import { Queue, type ConnectionOptions } from 'bullmq';

export const DRAIN_QUEUE = 'hookline-drain';
export const TICK_SCHEDULER_ID = 'hookline-drain-tick';

export type DrainJobData = { kind: 'tick' } | { kind: 'drain'; webhookId: string };

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
 * running no second is added; removing finished jobs frees the id for the next tick.
 */
export async function enqueueDrains(
  queue: Queue<DrainJobData>,
  webhookIds: readonly string[],
): Promise<void> {
  if (webhookIds.length === 0) return;
  await queue.addBulk(
    webhookIds.map((webhookId) => ({
      name: 'drain',
      data: { kind: 'drain' as const, webhookId },
      opts: { jobId: `drain-${webhookId}`, removeOnComplete: true, removeOnFail: true },
    })),
  );
}
