import { z } from 'zod';
export { webhookCreateSchema, webhookPatchSchema } from '@hookline/core';

/** Events per `{"events":[...]}` request. */
const MAX_EVENTS_PER_REQUEST = 1000;

const noNul = (v: string) => !v.includes('\0');

/** Postgres keeps timestamps from year 1 to far beyond 9999; ISO strings here stop at 9999 (UTC). */
const inPostgresRange = (v: string) => {
  const year = new Date(v).getUTCFullYear();
  return year >= 1 && year <= 9999;
};

export const eventInputSchema = z.object({
  type: z.string().min(1).max(200),
  payload: z.record(z.string(), z.unknown()),
  /** Idempotency key: a repeat is accepted as a duplicate and not delivered twice. */
  id: z.string().min(1).max(200).refine(noNul, 'NUL characters are not allowed').optional(),
  timestamp: z.iso
    .datetime({ offset: true })
    .refine(inPostgresRange, 'timestamp must fall between years 0001 and 9999 (UTC)')
    .optional(),
});

export const eventBatchSchema = z.object({
  events: z.array(eventInputSchema).min(1).max(MAX_EVENTS_PER_REQUEST),
});

export const deliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
});

export const enableQuerySchema = z
  .object({
    /** Drop the events queued while the webhook was disabled instead of delivering them. */
    discardBacklog: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .strict();

export const recoverSchema = z
  .object({
    /** Failed deliveries made at or after this time are resent. */
    since: z.iso.datetime({ offset: true }),
  })
  .strict();

export const statsQuerySchema = z
  .object({
    webhook: z.string().optional(),
    window: z.enum(['1h', '24h']).default('1h'),
  })
  .strict();

export const apiKeyCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: z.enum(['admin', 'producer', 'viewer']),
    /** Limits a producer to posting, and a viewer to seeing webhooks of, these types. */
    eventTypes: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
  })
  .strict()
  .refine((k) => !(k.role === 'admin' && k.eventTypes), {
    message: 'an admin key cannot be scoped to event types',
    path: ['eventTypes'],
  });

export { MAX_HOPS } from '@hookline/core';
