import { z } from 'zod';
import { baseEnvSchema, parseEnv } from '@hookline/core';

export const ingestEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  HOOKLINE_ADMIN_KEY: z.string().min(16).optional(),
});

export type IngestEnv = z.infer<typeof ingestEnvSchema>;

export const readIngestEnv = (env: Record<string, string | undefined> = process.env): IngestEnv =>
  parseEnv(ingestEnvSchema, env);
