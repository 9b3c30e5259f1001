import { z } from 'zod';

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

const filterConditionSchema = z
  .object({
    path: z.string().min(1).max(500),
    op: z.enum(['eq', 'in', 'startsWith', 'exists']),
    value: z.unknown().optional(),
  })
  .strict();

const conditionGroup = z.array(filterConditionSchema).max(50);

/** The array form is AND; `{"any":[[...],[...]]}` is an OR of AND-groups. */
const filterSchema = z.union([
  conditionGroup,
  z.object({ any: z.array(conditionGroup.min(1)).min(1).max(20) }).strict(),
]);

const triggerSchema = z
  .object({
    words: z
      .array(z.string().min(1).max(100).regex(/^\S+$/, 'a trigger word is one word (no spaces)'))
      .min(1)
      .max(50),
    when: z.enum(['exact', 'startsWith']).default('exact'),
    field: z.string().min(1).max(500).default('payload.text'),
  })
  .strict();

/** Headers Hookline sets itself, or that HTTP owns: a webhook may not set these. */
const RESERVED_HEADERS =
  /^(host|content-length|content-type|transfer-encoding|connection|user-agent|webhook-.*|x-hookline-.*|x-origin-base-url)$/i;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

// Keys are checked here rather than with a key schema: zod reports a failing record key only as
// "Invalid key in record", and the dashboard shows these messages beside the field.
const headersSchema = z
  .record(
    z.string(),
    z
      .string()
      .max(4096)
      .regex(/^[^\r\n]*$/, 'header values cannot contain line breaks'),
  )
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > 20) ctx.addIssue({ code: 'custom', message: 'at most 20 headers' });
    for (const name of names) {
      if (!HEADER_NAME.test(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is not a valid header name` });
      } else if (RESERVED_HEADERS.test(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `${name}: Hookline sets this header itself` });
      }
    }
  });

const webhookFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable(),
  url: z.string().min(1).max(2048),
  /** Several callback URLs (each delivered to separately); replaces `url`, which is `urls[0]`. */
  urls: z
    .array(z.string().min(1).max(2048))
    .min(1)
    .max(10)
    .refine((urls) => new Set(urls).size === urls.length, 'each URL once'),
  events: z.array(z.string().min(1).max(200)).min(1).max(100),
  enabled: z.boolean(),
  secret: z.string().min(16).max(512),
  method: z.enum(['POST', 'GET']),
  contentType: z.enum(['application/json', 'application/x-www-form-urlencoded', 'text/plain']),
  bodyTemplate: z.string().max(65_536).nullable(),
  filter: filterSchema.nullable(),
  trigger: triggerSchema.nullable(),
  token: z.string().min(1).max(512).nullable(),
  replyEventType: z.string().min(1).max(200).nullable(),
  order: z.enum(['chronological', 'reverse']).nullable(),
  signature: z.enum(['mautic', 'standard']),
  eventNames: z.enum(['native', 'mautic']),
  headers: headersSchema.nullable(),
};

/** `url` and `urls` may both be sent only when they agree: `url` is `urls[0]`. */
const oneUrlList = (w: { url?: string; urls?: string[] }, ctx: z.RefinementCtx) => {
  if (w.url !== undefined && w.urls !== undefined && w.urls[0] !== w.url) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'url must be urls[0] when both are sent' });
  }
};

export const webhookCreateSchema = z
  .object({
    ...webhookFields,
    url: webhookFields.url.optional(),
    urls: webhookFields.urls.optional(),
    description: webhookFields.description.optional(),
    enabled: webhookFields.enabled.default(true),
    secret: webhookFields.secret.optional(),
    method: webhookFields.method.default('POST'),
    contentType: webhookFields.contentType.default('application/json'),
    bodyTemplate: webhookFields.bodyTemplate.optional(),
    filter: webhookFields.filter.optional(),
    trigger: webhookFields.trigger.optional(),
    token: webhookFields.token.optional(),
    replyEventType: webhookFields.replyEventType.optional(),
    order: webhookFields.order.optional(),
    signature: webhookFields.signature.default('mautic'),
    eventNames: webhookFields.eventNames.default('native'),
    headers: webhookFields.headers.optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (w.url === undefined && w.urls === undefined) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'send url, or urls' });
    }
    oneUrlList(w, ctx);
  })
  // The refinement above, as the OpenAPI document says it.
  .meta({ anyOf: [{ required: ['url'] }, { required: ['urls'] }] });

export const webhookPatchSchema = z.object(webhookFields).partial().strict().superRefine(oneUrlList);

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
