import { z } from 'zod';
import { settingsPatchSchema, settingsSchema } from '@hookline/core';
import {
  apiKeyCreatedSchema,
  apiKeySchema,
  deliverySchema,
  errorResponseSchema,
  eventsAcceptedSchema,
  eventTypeSchema,
  healthSchema,
  queueDepthSchema,
  redeliverResultSchema,
  testResultSchema,
  webhookSchema,
} from './response-schemas.js';
import {
  apiKeyCreateSchema,
  deliveriesQuerySchema,
  enableQuerySchema,
  eventBatchSchema,
  eventInputSchema,
  webhookCreateSchema,
  webhookPatchSchema,
} from './schemas.js';

type Role = 'admin' | 'producer' | 'viewer';

interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  /** Roles besides admin that may call a /v1 route (paths outside /v1 need no key). */
  roles?: Role[];
  body?: z.ZodType;
  query?: z.ZodObject;
  status: number;
  response?: z.ZodType;
  /** Statuses answered with the error shape. */
  errors?: number[];
  /** Non-error replies besides `status`. */
  otherReplies?: { status: number; description: string; response: z.ZodType }[];
}

const webhookId = '/v1/webhooks/{id}';
const readiness = healthSchema.extend({
  postgres: z.string().describe('"ok" or the error'),
  redis: z.string().describe('"ok" or the error'),
});

/** Every route the API serves, with the schemas it validates against and answers with. */
const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/events',
    summary: 'Accept one event or a batch (202 only once durable in Postgres)',
    roles: ['producer'],
    body: z.union([eventInputSchema, eventBatchSchema]),
    status: 202,
    response: eventsAcceptedSchema,
    errors: [400, 413, 415, 422, 429, 503],
  },
  {
    method: 'get',
    path: '/v1/event-types',
    summary: 'The event type catalogue',
    roles: ['viewer'],
    status: 200,
    response: z.array(eventTypeSchema),
  },
  {
    method: 'post',
    path: '/v1/webhooks',
    summary: 'Create a webhook (the reply includes its secret)',
    body: webhookCreateSchema,
    status: 201,
    response: webhookSchema,
    errors: [400, 422],
  },
  {
    method: 'get',
    path: '/v1/webhooks',
    summary: 'List webhooks',
    roles: ['viewer'],
    status: 200,
    response: z.array(webhookSchema),
  },
  {
    method: 'get',
    path: webhookId,
    summary: 'One webhook',
    roles: ['viewer'],
    status: 200,
    response: webhookSchema,
    errors: [404],
  },
  {
    method: 'patch',
    path: webhookId,
    summary: 'Change a webhook',
    body: webhookPatchSchema,
    status: 200,
    response: webhookSchema,
    errors: [400, 404, 422],
  },
  {
    method: 'delete',
    path: webhookId,
    summary: 'Delete a webhook; its queued events are dropped and logged',
    status: 204,
    errors: [404],
  },
  {
    method: 'post',
    path: `${webhookId}/enable`,
    summary:
      'Re-enable a (possibly auto-disabled) webhook; the events queued while it was disabled are delivered in order, or dropped with discardBacklog=true',
    query: enableQuerySchema,
    status: 200,
    response: webhookSchema,
    errors: [400, 404],
  },
  {
    method: 'post',
    path: `${webhookId}/rotate-secret`,
    summary: 'New secret; the old one keeps signing for 24 hours',
    status: 200,
    response: webhookSchema,
    errors: [404],
  },
  {
    method: 'post',
    path: `${webhookId}/test`,
    summary: 'Send a signed sample of each subscribed type, in the real batch shape',
    status: 200,
    response: testResultSchema,
    errors: [404],
  },
  {
    method: 'get',
    path: `${webhookId}/deliveries`,
    summary: 'Delivery log, newest first',
    roles: ['viewer'],
    query: deliveriesQuerySchema,
    status: 200,
    response: z.array(deliverySchema),
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/v1/deliveries/{id}/redeliver',
    summary:
      "Resend a logged delivery's batch (same body and delivery id); 409 while another process is sending it",
    status: 200,
    response: redeliverResultSchema,
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/v1/settings',
    summary: 'Delivery settings',
    roles: ['viewer'],
    status: 200,
    response: settingsSchema,
  },
  {
    method: 'patch',
    path: '/v1/settings',
    summary: 'Change settings; every process applies them within 2 s',
    body: settingsPatchSchema,
    status: 200,
    response: settingsSchema,
    errors: [400],
  },
  {
    method: 'get',
    path: '/v1/queue',
    summary: 'Events waiting for delivery, per webhook',
    roles: ['viewer'],
    status: 200,
    response: queueDepthSchema,
  },
  {
    method: 'get',
    path: '/v1/api-keys',
    summary: 'List API keys',
    status: 200,
    response: z.array(apiKeySchema),
  },
  {
    method: 'post',
    path: '/v1/api-keys',
    summary: 'Create an API key (its text is in this reply only)',
    body: apiKeyCreateSchema,
    status: 201,
    response: apiKeyCreatedSchema,
    errors: [400],
  },
  { method: 'delete', path: '/v1/api-keys/{id}', summary: 'Revoke an API key', status: 204, errors: [404] },
  { method: 'get', path: '/healthz', summary: 'Process alive', status: 200, response: healthSchema },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Postgres and Redis reachable',
    status: 200,
    response: readiness,
    otherReplies: [{ status: 503, description: 'Postgres or Redis unreachable', response: readiness }],
  },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics (text exposition format)', status: 200 },
];

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed or invalid request',
  401: 'No or unknown API key',
  403: 'The key lacks the role',
  404: 'Not found',
  413: 'Body over 1 MiB',
  415: 'Not JSON',
  422: 'Unknown event type, invalid URL or hop limit',
  429: 'Rate limited (Retry-After)',
  503: 'Storage unavailable (Retry-After)',
};

/** Request bodies are documented as clients send them (defaults optional), replies as sent. */
const schemaOf = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' });

function operationObject(op: Operation) {
  const json = (schema: z.ZodType) => ({ 'application/json': { schema: schemaOf(schema, 'output') } });
  const errorStatuses = [...(op.path.startsWith('/v1') ? [401, 403] : []), ...(op.errors ?? [])];
  const parameters = [
    ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...Object.entries(op.query ? (schemaOf(op.query, 'input').properties ?? {}) : {}).map(
      ([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      }),
    ),
  ];
  return {
    summary: op.summary,
    ...(op.path.startsWith('/v1')
      ? {
          security: [{ bearer: [] }],
          description: `Roles: ${['admin', ...(op.roles ?? [])].join(', ')}.`,
        }
      : { security: [] }),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(op.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [op.status]: {
        description: 'Success',
        ...(op.response ? { content: json(op.response) } : {}),
      },
      ...Object.fromEntries(
        (op.otherReplies ?? []).map((r) => [
          r.status,
          { description: r.description, content: json(r.response) },
        ]),
      ),
      ...Object.fromEntries(
        [...new Set(errorStatuses)].map((s) => [
          s,
          { description: ERROR_TEXT[s] ?? 'Error', content: json(errorResponseSchema) },
        ]),
      ),
    },
  };
}

/** The OpenAPI 3.1 document, generated from the zod schemas the API validates with. */
export function openApiDocument(options: { version: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operationObject(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hookline',
      version: options.version,
      description:
        'Queue-backed webhook delivery. Errors are always {"error":{"code","message","details"}}; ' +
        'authenticate with "Authorization: Bearer <key>".',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
