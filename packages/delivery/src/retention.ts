import { setTimeout as sleep } from 'node:timers/promises';
import {
  dropQueuedBefore,
  pruneBatchesBefore,
  pruneDeliveryLogsBefore,
  pruneEventsBefore,
  prunePortalTokensExpiredBefore,
  pruneStatsBefore,
  type Chunk,
} from '@hookline/db';
import type { EngineDeps } from './engine-deps.js';

export interface RetentionOptions {
  /** Rows per statement (Default: 1000): small enough that no lock is held long. */
  chunk?: number;
  /**
   * Pause between chunks, in ms (Default: 50), so ingest always gets its turn: on two cores a
   * prune running flat out takes Postgres CPU from ingest; 1,000,000 rows still go in about a
   * minute.
   */
  pauseMs?: number;
  signal?: AbortSignal;
}

export interface RetentionSummary {
  cutoff: Date;
  deliveryLogs: number;
  batches: number;
  events: number;
  /** Per-minute delivery counter rows. */
  stats: number;
  /** Portal tokens expired before the cutoff. */
  portalTokens: number;
  /** Events dropped before they got through: still queued, in a pending batch, in a failed one. */
  dropped: { queued: number; pending: number; failed: number };
}

const DAY_MS = 86_400_000;

/**
 * Deletes what is older than `retentionDays` (setting), in bounded chunks: delivered batches,
 * delivery logs and events go quietly; undelivered work of that age (queued for a webhook
 * disabled that long, pending, or failed) is dropped with a log line and a metric. Queue rows go
 * before events, since an event may only go once nothing queues it.
 */
export async function pruneExpired(
  deps: EngineDeps,
  now: Date,
  options: RetentionOptions = {},
): Promise<RetentionSummary> {
  const chunk = options.chunk ?? 1000;
  const cutoff = new Date(now.getTime() - deps.settings.current().retentionDays * DAY_MS);
  const summary: RetentionSummary = {
    cutoff,
    deliveryLogs: 0,
    batches: 0,
    events: 0,
    stats: 0,
    portalTokens: 0,
    dropped: { queued: 0, pending: 0, failed: 0 },
  };
  const drain = async <C extends Chunk>(step: () => Promise<C>, add: (c: C) => void) => {
    for (;;) {
      options.signal?.throwIfAborted();
      const c = await step();
      add(c);
      if (!c.more) return;
      await sleep(options.pauseMs ?? 50);
    }
  };
  await drain(
    () => dropQueuedBefore(deps.knex, cutoff, chunk),
    (c) => (summary.dropped.queued += c.deleted),
  );
  await drain(
    () => pruneBatchesBefore(deps.knex, cutoff, chunk),
    (c) => {
      summary.batches += c.deleted;
      summary.dropped.pending += c.droppedEvents.pending;
      summary.dropped.failed += c.droppedEvents.failed;
    },
  );
  await drain(
    () => pruneDeliveryLogsBefore(deps.knex, cutoff, chunk),
    (c) => (summary.deliveryLogs += c.deleted),
  );
  await drain(
    () => pruneEventsBefore(deps.knex, cutoff, chunk),
    (c) => (summary.events += c.deleted),
  );
  // One row per webhook per minute: few enough to go in one statement.
  summary.stats = await pruneStatsBefore(deps.knex, cutoff);
  // Portal tokens answer token_expired until then, and "unknown key" after.
  summary.portalTokens = await prunePortalTokensExpiredBefore(deps.knex, cutoff);

  const { queued, pending, failed } = summary.dropped;
  if (queued + pending + failed > 0) {
    deps.logger.warn('retention dropped undelivered events', { cutoff, queued, pending, failed });
    for (const [state, n] of Object.entries(summary.dropped))
      if (n > 0) deps.metrics?.retentionDropped.inc({ state }, n);
  }
  if (summary.batches + summary.deliveryLogs + summary.events > 0)
    deps.logger.info('retention pruned', {
      cutoff,
      batches: summary.batches,
      deliveryLogs: summary.deliveryLogs,
      events: summary.events,
    });
  return summary;
}

/**
 * Runs pruneExpired now and then every `everyMs` (Default: 10 minutes) until stopped. Several
 * workers may run it at once: each statement skips rows another has locked.
 */
export function startRetention(deps: EngineDeps, options: RetentionOptions & { everyMs?: number } = {}) {
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await pruneExpired(deps, new Date(), { ...options, signal: stopping.signal });
      } catch (err) {
        if (!stopping.signal.aborted) deps.logger.warn('retention pass failed; retrying later', { err });
      }
      await sleep(options.everyMs ?? 600_000, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  return {
    async stop(): Promise<void> {
      stopping.abort();
      await loop;
    },
  };
}
