import { z } from 'zod';
import { endpointSchema, portalSettingsSchema, webhookSchema as storedWebhookSchema } from '@hookline/core';
import { ERROR_STATUS } from './api-error.js';

// What the API answers with, as zod schemas: the OpenAPI document is generated from these and
// from the request schemas, and the API's tests check real responses against that document.

const isoDate = z.iso.datetime({ offset: true });

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export const eventsAcceptedSchema = z.object({
  accepted: z.number().int(),
  events: z.array(z.object({ id: z.string(), type: z.string(), duplicate: z.boolean() })),
});

export const eventTypeSchema = z.object({
  name: z.string(),
  description: z.string(),
  mauticName: z.string().nullable(),
  schema: z.record(z.string(), z.unknown()).nullable(),
  builtIn: z.boolean(),
  archived: z.boolean(),
});

/**
 * A webhook as the API shows it: the stored webhook (core's webhookSchema) without the previous
 * secret, with its endpoints' URLs and its first endpoint's delivery state, times as ISO strings.
 */
export const webhookSchema = storedWebhookSchema.omit({ previousSecret: true }).extend({
  ...endpointSchema.pick({ url: true, enabled: true, consecutiveFailures: true, disabledReason: true }).shape,
  urls: z.array(z.string()).describe('every callback URL (each an endpoint); url is urls[0]'),
  secret: z.string().describe('"[redacted]" for viewers (so are header values and token)'),
  previousSecretExpiresAt: isoDate.nullable(),
  disabledAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

const sendResult = {
  delivered: z.boolean(),
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  error: z.string().optional(),
};

export const testResultSchema = z.object(sendResult);

export const redeliverResultSchema = z.object({ id: z.string(), deliveryId: z.string(), ...sendResult });

export const deliverySchema = z.object({
  id: z.string(),
  mode: z.enum(['immediate', 'queue', 'test', 'redeliver']),
  status: z.enum(['success', 'failed', 'warning']),
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  attempt: z.number().int(),
  eventCount: z.number().int(),
  error: z.string().nullable(),
  responseSnippet: z.string().nullable(),
  deliveryId: z.string().nullable().describe('the batch id, sent as X-Hookline-Delivery'),
  endpointUrl: z.string().describe('the callback URL (endpoint) this row is about'),
  url: z.string().describe('the same as endpointUrl (its earlier name)'),
  createdAt: isoDate,
});

export const recoverResultSchema = z.object({
  batches: z.number().int().describe('failed deliveries made pending again, resent oldest first'),
});

export const statsSchema = z.object({
  window: z.enum(['1h', '24h']),
  buckets: z.array(
    z.object({
      t: z.string().describe('the minute, ISO 8601'),
      success: z.number().int(),
      failed: z.number().int(),
      p50Ms: z.number().nullable().describe("upper bound of the median delivery's latency bucket"),
      p99Ms: z.number().nullable(),
      queueDepth: z.number().int().nullable(),
      retryBacklog: z.number().int().nullable().describe('batches waiting for a retry'),
    }),
  ),
});

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(['admin', 'producer', 'viewer']),
  eventTypes: z.array(z.string()).nullable(),
  createdAt: isoDate,
});

export const apiKeyCreatedSchema = apiKeySchema.extend({
  key: z.string().describe('shown in this response only; Hookline keeps its SHA-256'),
});

export const webhookHealthSchema = z.object({
  webhooks: z.array(
    z.object({
      webhookId: z.uuid(),
      state: z.enum(['healthy', 'failing', 'disabled']),
      detail: z.string().describe('the disable reason, the last error, or when it last delivered'),
      lastDeliveryAt: isoDate.nullable(),
    }),
  ),
});

export const queueDepthSchema = z.object({
  total: z.number().int(),
  webhooks: z.array(z.object({ webhookId: z.uuid(), depth: z.number().int() })),
});

export const healthSchema = z.object({ status: z.string() });

export const organizationSchema = z.object({ id: z.string(), name: z.string(), createdAt: isoDate });

export const applicationSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  rateLimit: z.number().nullable().describe('events per second, across every ingest process; null: none'),
  portal: portalSettingsSchema.describe("how the application's portal looks to its customers"),
  createdAt: isoDate,
});

export const portalLinkSchema = z.object({
  url: z
    .string()
    .describe('PUBLIC_URL/portal/#token=<token>: the token travels in the fragment, never sent to a server'),
  token: z.string().describe('shown in this response only; Hookline keeps its SHA-256'),
  expiresAt: isoDate,
});

export const memberSchema = z.object({
  id: z.uuid(),
  orgId: z.string(),
  name: z.string(),
  orgRole: z.enum(['owner', 'member', 'viewer']),
  appRoles: z.record(z.string(), z.enum(['owner', 'viewer'])),
  createdAt: isoDate,
});

export const memberCreatedSchema = memberSchema.extend({
  key: z.string().describe('shown in this response only; Hookline keeps its SHA-256'),
});

export const reachSchema = z.object({
  kind: z.enum(['installation', 'member', 'app', 'portal']),
  name: z.string(),
  role: z.string().optional(),
  orgs: z.array(z.object({ id: z.string(), role: z.string(), can: z.object({ manage: z.boolean() }) })),
  apps: z.array(
    z.object({
      id: z.string(),
      orgId: z.string(),
      role: z.string().describe('the app role ("none" for an org owner without one) or the key\'s role'),
      can: z
        .object({
          view: z.boolean(),
          queue: z.boolean(),
          change: z.boolean(),
          post: z.boolean(),
          keys: z.boolean(),
          portal: z.boolean(),
          manage: z.boolean(),
        })
        .describe('what the key may do to it (Hookline addition: the dashboard shows only those controls)'),
    }),
  ),
  portal: z
    .object({ appName: z.string(), accent: z.string().nullable(), readOnly: z.boolean(), expiresAt: isoDate })
    .optional()
    .describe(
      "a portal token's: its application's name and accent colour, whether it only reads, until when",
    ),
});
