import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { cronPatternProblem } from './cron-pattern.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Variables every Hookline process reads (SPEC "Environment"); apps extend this and parse once. */
/** A URL whose scheme is one of `schemes` (without the colon). */
const urlWithScheme = (...schemes: string[]) =>
  z
    .string()
    .url()
    .refine(
      // Runs even when .url() failed, so it must not throw on a non-URL.
      (v) => URL.canParse(v) && schemes.includes(new URL(v).protocol.slice(0, -1)),
      `must start with ${schemes.map((s) => `${s}://`).join(' or ')}`,
    );

/** A BullMQ job-scheduler pattern: 5 fields, or 6 with seconds first. */
export const cronPattern = z.string().superRefine((v, ctx) => {
  const problem = cronPatternProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `"${v}" ${problem}` });
});

export const baseEnvSchema = z.object({
  DATABASE_URL: urlWithScheme('postgres', 'postgresql').default(
    'postgres://postgres@127.0.0.1:5432/hookline',
  ),
  REDIS_URL: urlWithScheme('redis', 'rediss').default('redis://127.0.0.1:6379'),
  WEBHOOK_ALLOW_PRIVATE_URLS: booleanFlag,
  PUBLIC_URL: urlWithScheme('http', 'https').default('http://localhost:3000'),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info'),
  /** BullMQ key prefix (Default: `bull`); lets several installations share one Redis. */
  HOOKLINE_QUEUE_PREFIX: z.string().min(1).default('bull'),
  /** Retry schedule (Defaults: 5 s first delay, 2 h ceiling, 15 attempts); tests shorten it. */
  HOOKLINE_RETRY_BASE_MS: z.coerce.number().int().min(1).default(5_000),
  HOOKLINE_RETRY_MAX_MS: z.coerce.number().int().min(1).default(7_200_000),
  HOOKLINE_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(15),
  /**
   * Deepest payload nesting accepted (the payload object is level 1) and most keys per object:
   * past them a producer's event gets 400 and a receiver's reply is not recorded. Every process
   * that accepts events reads them (ingest for producers, ingest and worker for replies).
   */
  HOOKLINE_MAX_DEPTH: z.coerce.number().int().min(1).max(1000).default(64),
  HOOKLINE_MAX_KEYS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** `${system['fqdn']}` in body templates (Default: the machine's host name). */
  HOOKLINE_FQDN: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a host name')
    .optional(),
});

/**
 * What every process that delivers takes from the env (ingest, worker, CLI alike), so none of
 * them can drift from the others.
 */
export function deliveryOptionsFromEnv(env: z.infer<typeof baseEnvSchema>, version: string) {
  return {
    allowPrivateUrls: env.WEBHOOK_ALLOW_PRIVATE_URLS,
    publicUrl: env.PUBLIC_URL,
    userAgent: `Hookline/${version}`,
    fqdn: env.HOOKLINE_FQDN,
    retryPolicy: {
      baseDelayMs: env.HOOKLINE_RETRY_BASE_MS,
      maxDelayMs: env.HOOKLINE_RETRY_MAX_MS,
      maxAttempts: env.HOOKLINE_RETRY_ATTEMPTS,
    },
    payloadLimits: { maxDepth: env.HOOKLINE_MAX_DEPTH, maxKeys: env.HOOKLINE_MAX_KEYS },
  };
}

/**
 * Parses `env`, or throws a ConfigError whose one-line message names each variable that is wrong
 * and why (the app prints it and exits 1).
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new ConfigError(`invalid environment: ${problems}`);
}
