import { LATENCY_BUCKETS, latencyBucket } from '@hookline/core';
import { addDeliveryStats, snapshotQueue, type MinuteCounts } from '@hookline/db';
import type { Knex } from 'knex';

export interface StatsRecorder {
  /** Counts one delivery attempt (a request) for the webhook the API shows. */
  record(webhookId: string, ok: boolean, durationMs: number, atMs?: number): void;
  /** Writes what was counted so far (also every `flushMs`). */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  stop(): Promise<void>;
  /** Stops the timer without writing (the pool may be gone). */
  cancel(): void;
}

export interface StatsRecorderOptions {
  /** How often counters are written, in ms (Default: 1000). A crash loses at most this much. */
  flushMs?: number;
  /** Also write the per-minute queue snapshot (Default: false; the worker does). */
  snapshotQueue?: boolean;
  onError?: (err: unknown) => void;
}

/** The start of the minute holding `ms`, in ms. */
const minuteOf = (ms: number) => Math.floor(ms / 60_000) * 60_000;

/**
 * Per-minute delivery counters, counted in memory and added to Postgres once a second in one
 * statement: the hot path pays a map update, not a write, per delivery.
 */
export function createStatsRecorder(knex: Knex, options: StatsRecorderOptions = {}): StatsRecorder {
  let pending = new Map<string, MinuteCounts>();
  let lastSnapshot = 0;

  const flush = async () => {
    const rows = [...pending.values()];
    pending = new Map();
    await addDeliveryStats(knex, rows);
    const minute = minuteOf(Date.now());
    if (options.snapshotQueue && minute !== lastSnapshot) {
      lastSnapshot = minute;
      await snapshotQueue(knex, new Date(minute));
    }
  };
  const timer = setInterval(() => {
    flush().catch((err: unknown) => options.onError?.(err));
  }, options.flushMs ?? 1000);
  timer.unref();

  return {
    // The hot path: a map update per delivery, no Date until a minute's first count.
    record(webhookId, ok, durationMs, atMs = Date.now()) {
      const minute = minuteOf(atMs);
      const key = `${webhookId}|${minute}`;
      let counts = pending.get(key);
      if (!counts) {
        counts = {
          webhookId,
          minute: new Date(minute),
          success: 0,
          failed: 0,
          latency: new Array<number>(LATENCY_BUCKETS).fill(0),
        };
        pending.set(key, counts);
      }
      if (ok) counts.success++;
      else counts.failed++;
      counts.latency[latencyBucket(durationMs)]!++;
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush().catch((err: unknown) => options.onError?.(err));
    },
    cancel() {
      clearInterval(timer);
    },
  };
}
