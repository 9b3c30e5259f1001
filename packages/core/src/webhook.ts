import { z } from 'zod';

// A webhook's shape, declared once: the type below, the API's request and reply schemas (and so
// its OpenAPI document), the repository's column map and the dashboard's form all derive from
// these schemas.

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

/**
 * Mattermost's trigger words: the first word of `field` must equal (`exact`) or start with
 * (`startsWith`) one of `words`; the word that matched is delivered as `trigger_word`.
 */
const triggerSchema = z
  .object({
    words: z
      .array(z.string().min(1).max(100).regex(/^\S+$/, 'a trigger word is one word (no spaces)'))
      .min(1)
      .max(50),
    when: z.enum(['exact', 'startsWith']).default('exact'),
    /** Dotted path of the text whose first word is tested. */
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

const callbackUrlSchema = z.string().min(1).max(2048);

/**
 * What a client sets on a webhook, with the defaults a create applies. Each field is one
 * setting; PATCH takes any of them without defaults (webhookPatchFields).
 */
export const webhookSettingsSchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable().default(null),
  /** Several callback URLs (each delivered to separately); `url` is `urls[0]`. */
  urls: z
    .array(callbackUrlSchema)
    .min(1)
    .max(10)
    .refine((urls) => new Set(urls).size === urls.length, 'each URL once'),
  /** Subscribed event types (Hookline or Mautic names). */
  events: z.array(z.string().min(1).max(200)).min(1).max(100),
  enabled: z.boolean().default(true),
  /** Generated when omitted (its form depends on `signature`). */
  secret: z.string().min(16).max(512),
  method: z.enum(['POST', 'GET']).default('POST'),
  contentType: z
    .enum(['application/json', 'application/x-www-form-urlencoded', 'text/plain'])
    .default('application/json'),
  bodyTemplate: z.string().max(65_536).nullable().default(null),
  filter: filterSchema.nullable().default(null),
  trigger: triggerSchema.nullable().default(null),
  /** Added to each delivered item as `token`, as Mattermost's outgoing webhooks send it. */
  token: z.string().min(1).max(512).nullable().default(null),
  /** A 2xx JSON reply from the receiver becomes an event of this type (Mattermost replies). */
  replyEventType: z.string().min(1).max(200).nullable().default(null),
  /** Overrides the global `order` setting when set. */
  order: z.enum(['chronological', 'reverse']).nullable().default(null),
  signature: z.enum(['mautic', 'standard']).default('mautic'),
  eventNames: z.enum(['native', 'mautic']).default('native'),
  /** Extra request headers (e.g. Authorization for a chained Hookline). */
  headers: headersSchema.nullable().default(null),
});

/** The settings' fields without their defaults: a PATCH changes only what it names. */
const webhookPatchFields = Object.fromEntries(
  Object.entries(webhookSettingsSchema.shape).map(([k, v]) => [
    k,
    v instanceof z.ZodDefault ? v.unwrap() : v,
  ]),
) as { [K in keyof WebhookSettingsShape]: Unwrapped<WebhookSettingsShape[K]> };

type WebhookSettingsShape = typeof webhookSettingsSchema.shape;
type Unwrapped<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;

/** `url` and `urls` may both be sent only when they agree: `url` is `urls[0]`. */
const oneUrlList = (w: { url?: string; urls?: string[] }, ctx: z.RefinementCtx) => {
  if (w.url !== undefined && w.urls !== undefined && w.urls[0] !== w.url) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'url must be urls[0] when both are sent' });
  }
};

/** A webhook's settings as a create sends them: `url` or `urls`, and the secret may be left out. */
export const webhookCreateSchema = webhookSettingsSchema
  .extend({
    url: callbackUrlSchema.optional(),
    urls: webhookPatchFields.urls.optional(),
    secret: webhookPatchFields.secret.optional(),
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

export const webhookPatchSchema = z
  .object({ ...webhookPatchFields, url: callbackUrlSchema })
  .partial()
  .strict()
  .superRefine(oneUrlList);

export type WebhookCreate = z.output<typeof webhookCreateSchema>;
export type WebhookPatch = z.output<typeof webhookPatchSchema>;

/**
 * A webhook as stored: its settings and what Hookline keeps about it. Its callback URLs and
 * whether it is enabled live on its endpoints.
 */
export const webhookSchema = webhookSettingsSchema.omit({ urls: true, enabled: true }).extend({
  id: z.uuid(),
  /** The application it belongs to, for good: it takes only that application's events. */
  appId: z.string(),
  /** The secret before the last rotation; it keeps signing until `previousSecretExpiresAt`. */
  previousSecret: z.string().nullable(),
  previousSecretExpiresAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/**
 * One callback URL of a webhook, delivered to on its own: it owns its drain lease, failure
 * streak, disabled state, queue, batches and delivery log, so a failing URL never holds the
 * others. A webhook's first endpoint (position 0) is its `url`.
 */
export const endpointSchema = z.object({
  id: z.uuid(),
  webhookId: z.uuid(),
  position: z.number().int(),
  url: callbackUrlSchema,
  enabled: z.boolean(),
  consecutiveFailures: z.number().int(),
  disabledReason: z.string().nullable(),
  disabledAt: z.date().nullable(),
});

export type Endpoint = z.infer<typeof endpointSchema>;

/** A webhook at one of its endpoints: what a delivery is made for. */
export interface Target {
  webhook: Webhook;
  endpoint: Endpoint;
}
export type Webhook = z.infer<typeof webhookSchema>;
export type Filter = NonNullable<Webhook['filter']>;
export type FilterCondition = z.infer<typeof filterConditionSchema>;
export type Trigger = NonNullable<Webhook['trigger']>;
export type Order = NonNullable<Webhook['order']>;
export type WebhookContentType = Webhook['contentType'];
export type SignatureScheme = Webhook['signature'];

export type DeliveryMode = 'immediate' | 'queue' | 'test' | 'redeliver';
