import { Queue, type ConnectionOptions } from 'bullmq';
import type { EndpointWork } from '@hookline/db';
import type { FairQueue, Turn } from './fair-queue.js';

export const DRAIN_QUEUE = 'hookline-drain';
const TICK_SCHEDULER_ID = 'hookline-drain-tick';

/**
 * The BullMQ queue carries the cron tick; the drains themselves wait in the fair queue. `drain`
 * jobs are what workers before the fair queue added: one still in Redis after an upgrade is
 * offered to the fair queue instead (its `webhookId` names a row that migration 10 made an
 * endpoint with the same id).
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
 * What an endpoint's turns count under: its application first, then its webhook (the fair
 * queue's two levels, `<app>/<webhook>`), so applications take turns, then their webhooks.
 */
const groupOf = (work: EndpointWork): string => `${work.appId}/${work.webhookId}`;

/** Turns for endpoints with work; `cut` false for recovery turns (pending batches only). */
export function turnsFor(work: readonly EndpointWork[], cut: boolean): Turn[] {
  return work.map((w) => ({ endpointId: w.endpointId, group: groupOf(w), cut }));
}

/** How long starting a drain from the API may wait for Redis before leaving it to the tick, in ms. */
const START_TIMEOUT_MS = 1000;

/**
 * Starts endpoints' drains now rather than at the next tick (the API does this on enable). Best
 * effort: with Redis away the tick does it later, so a failure is logged, never thrown.
 */
export function drainStarter(fair: FairQueue, onError: (err: unknown) => void) {
  return {
    start(work: EndpointWork): void {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis did not answer within ${START_TIMEOUT_MS} ms`)),
          START_TIMEOUT_MS,
        );
      });
      Promise.race([fair.offer(turnsFor([work], true)), timeout])
        .catch(onError)
        .finally(() => clearTimeout(timer));
    },
  };
}
