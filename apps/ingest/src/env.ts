import { z } from 'zod';
import { baseEnvSchema, parseEnv } from '@hookline/core';

const ingestEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  HOOKLINE_ADMIN_KEY: z.string().min(16).optional(),
  /** POST /v1/events requests per second per API key, per process; 0 turns the limit off. */
  HOOKLINE_RATE_LIMIT: z.coerce.number().int().min(0).default(1000),
  /** The portal's CSP frame-ancestors: the origins that may embed /portal/ in a frame. */
  HOOKLINE_PORTAL_FRAME_ANCESTORS: z
    .string()
    .trim()
    .regex(/^[^;,\r\n]+$/, "a CSP source list, such as 'self' https://app.example.com")
    .default("'self'"),
});

export type IngestEnv = z.infer<typeof ingestEnvSchema>;

export const readIngestEnv = (env: Record<string, string | undefined> = process.env): IngestEnv =>
  parseEnv(ingestEnvSchema, env);
