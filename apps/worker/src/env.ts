import { z } from 'zod';
import { baseEnvSchema, cronPattern, parseEnv } from '@hookline/core';

export const workerEnvSchema = baseEnvSchema.extend({
  /**
   * BullMQ job-scheduler pattern for the drain tick, which cuts queued events into batches
   * (retries keep their own clock); 5 fields, or 6 with seconds first.
   */
  WEBHOOK_CRON: cronPattern.default('* * * * *'),
  /** Webhooks one worker process drains at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(64),
  /** Serve this worker's /metrics and /healthz on this port; 0 (the default) serves nothing. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
});

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export const readWorkerEnv = (env: Record<string, string | undefined> = process.env): WorkerEnv =>
  parseEnv(workerEnvSchema, env);
