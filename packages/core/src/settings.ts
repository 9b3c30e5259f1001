import { z } from 'zod';

/** Delivery settings, stored in Postgres and changeable at run time. */
export const settingsSchema = z.object({
  /** `immediate`: deliver each event at once; `queue`: the cron-driven worker drains batches. */
  queueMode: z.enum(['immediate', 'queue']),
  /** Which events a batch takes first, and how they are listed. */
  order: z.enum(['chronological', 'reverse']),
  /** Events per request. */
  batchLimit: z.number().int().min(1).max(1000),
  /** How long one drain run of one webhook may last, in seconds. */
  timeLimitSeconds: z.number().int().min(1).max(86_400),
  /** Consecutive failed deliveries after which a webhook is disabled. */
  disableLimit: z.number().int().min(1).max(1_000_000),
  /** Per-request timeout, in milliseconds. */
  timeoutMs: z.number().int().min(100).max(120_000),
  /** Delivery log rows kept per webhook. */
  logMax: z.number().int().min(1).max(1_000_000),
  /**
   * Days delivered work, delivery logs and idempotency keys are kept; failed or undelivered work
   * older than this is dropped (logged and counted). At least 1, so keys hold for 24 h.
   */
  retentionDays: z.number().int().min(1).max(3650),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Mautic's defaults. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  queueMode: 'immediate',
  order: 'chronological',
  batchLimit: 10,
  timeLimitSeconds: 600,
  disableLimit: 100,
  timeoutMs: 15_000,
  logMax: 1000,
  retentionDays: 30,
});

/** A partial update; unknown keys are rejected so a typo is an error, not a silent no-op. */
export const settingsPatchSchema = settingsSchema.partial().strict();

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
