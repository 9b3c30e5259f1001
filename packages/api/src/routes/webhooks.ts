import { z } from 'zod';
import {
  createWebhook,
  deleteWebhook,
  enableWebhook,
  listWebhooks,
  recoverWebhook,
  rotateWebhookSecret,
  showWebhook,
  testWebhook,
  updateWebhook,
  webhookDeliveries,
  webhookHealth,
  type WebhookView,
} from '@hookline/use-cases';
import { unwrap } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { callerOf } from '../auth.js';
import {
  deliveriesQuerySchema,
  enableQuerySchema,
  recoverSchema,
  webhookCreateSchema,
  webhookPatchSchema,
} from '../schemas.js';
import {
  deliverySchema,
  recoverResultSchema,
  testResultSchema,
  webhookHealthSchema,
  webhookSchema,
} from '../response-schemas.js';
import { route, type Route } from '../route.js';
import { webhookJson } from '../webhook-json.js';

const webhookPath = '/v1/webhooks/{id}';

/** The webhook routes: each translates its use case (packages/use-cases) to HTTP, and no more. */
export function webhookRoutes(deps: ApiDeps): Route[] {
  const writes = {
    knex: deps.knex,
    catalogue: deps.engine.catalogue,
    logger: deps.engine.logger,
    allowPrivateUrls: deps.allowPrivateUrls,
    drains: deps.drains,
  };
  const sends = { knex: deps.knex, engine: deps.engine };
  const id = (params: Record<string, unknown>) => params.id as string;
  // Viewers see the secret, header values and token redacted.
  const json = (caller: ReturnType<typeof callerOf>, view: WebhookView) =>
    webhookJson(view.webhook, view.endpoints, { redactSecret: caller.role === 'viewer' });

  return [
    route({
      method: 'post',
      path: '/v1/webhooks',
      summary: 'Create a webhook (the reply includes its secret)',
      roles: [],
      body: webhookCreateSchema,
      status: 201,
      response: webhookSchema,
      errors: [400, 422],
      handler: async (_req, res, { body }) => {
        const caller = callerOf(res);
        res.status(201).json(json(caller, unwrap(await createWebhook(writes, caller, body))));
      },
    }),

    route({
      method: 'get',
      path: '/v1/webhooks',
      summary: 'List webhooks',
      roles: ['viewer'],
      status: 200,
      response: z.array(webhookSchema),
      handler: async (_req, res) => {
        const caller = callerOf(res);
        res.json((await listWebhooks(deps, caller)).map((view) => json(caller, view)));
      },
    }),

    route({
      method: 'get',
      path: '/v1/webhook-health',
      summary:
        "Every webhook's health in one call: disabled, failing (its latest delivery failed) or healthy (Hookline addition)",
      roles: ['viewer'],
      status: 200,
      response: webhookHealthSchema,
      handler: async (_req, res) => {
        res.json({ webhooks: await webhookHealth(deps, callerOf(res)) });
      },
    }),

    route({
      method: 'get',
      path: webhookPath,
      summary: 'One webhook',
      roles: ['viewer'],
      status: 200,
      response: webhookSchema,
      errors: [404],
      handler: async (req, res) => {
        const caller = callerOf(res);
        res.json(json(caller, unwrap(await showWebhook(deps, caller, id(req.params)))));
      },
    }),

    route({
      method: 'patch',
      path: webhookPath,
      summary: 'Change a webhook',
      roles: [],
      body: webhookPatchSchema,
      status: 200,
      response: webhookSchema,
      errors: [400, 404, 422],
      handler: async (req, res, { body }) => {
        const caller = callerOf(res);
        res.json(json(caller, unwrap(await updateWebhook(writes, caller, id(req.params), body))));
      },
    }),

    route({
      method: 'delete',
      path: webhookPath,
      summary: 'Delete a webhook; its queued events are dropped and logged',
      roles: [],
      status: 204,
      errors: [404],
      handler: async (req, res) => {
        unwrap(await deleteWebhook(writes, callerOf(res), id(req.params)));
        res.status(204).end();
      },
    }),

    // Resumes delivery, backlog first and in order (events queued while it was disabled), or
    // drops that backlog with ?discardBacklog=true. A drain starts at once rather than on the tick.
    route({
      method: 'post',
      path: `${webhookPath}/enable`,
      summary:
        'Re-enable a (possibly auto-disabled) webhook; the events queued while it was disabled are delivered in order, or dropped with discardBacklog=true',
      roles: [],
      query: enableQuerySchema,
      status: 200,
      response: webhookSchema,
      errors: [400, 404],
      handler: async (req, res, { query }) => {
        const caller = callerOf(res);
        res.json(json(caller, unwrap(await enableWebhook(writes, caller, id(req.params), query))));
      },
    }),

    route({
      method: 'post',
      path: `${webhookPath}/recover`,
      summary:
        "Resend the webhook's failed deliveries made since a time, oldest first, under the normal lock and retry rules",
      roles: [],
      body: recoverSchema,
      status: 202,
      response: recoverResultSchema,
      errors: [400, 404],
      handler: async (req, res, { body }) => {
        const since = new Date(body.since);
        const { batches } = unwrap(await recoverWebhook(writes, callerOf(res), id(req.params), since));
        // Sent by the workers' recovery sweep within about a second, like any due retry (it sends
        // pending batches only; queued events still wait for the WEBHOOK_CRON tick).
        res.status(202).json({ batches });
      },
    }),

    route({
      method: 'post',
      path: `${webhookPath}/rotate-secret`,
      summary:
        'New secret; the old one keeps signing for 24 hours (Webhook-Signature, with the new one in Webhook-Signature-Next)',
      roles: [],
      status: 200,
      response: webhookSchema,
      errors: [404],
      handler: async (req, res) => {
        const caller = callerOf(res);
        res.json(json(caller, unwrap(await rotateWebhookSecret(writes, caller, id(req.params)))));
      },
    }),

    // Sends one sample of each subscribed type in the real batch shape (unlike Mautic's test payload).
    route({
      method: 'post',
      path: `${webhookPath}/test`,
      summary: 'Send a signed sample of each subscribed type, in the real batch shape',
      roles: [],
      status: 200,
      response: testResultSchema,
      errors: [404],
      handler: async (req, res) => {
        const { result } = unwrap(await testWebhook(sends, callerOf(res), id(req.params)));
        res.json({
          delivered: result.ok,
          statusCode: result.statusCode,
          durationMs: result.durationMs,
          ...(result.ok ? {} : { error: result.error }),
        });
      },
    }),

    route({
      method: 'get',
      path: `${webhookPath}/deliveries`,
      summary: 'Delivery log, newest first',
      roles: ['viewer'],
      query: deliveriesQuerySchema,
      status: 200,
      response: z.array(deliverySchema),
      errors: [400, 404],
      handler: async (req, res, { query }) => {
        const logs = unwrap(await webhookDeliveries(deps, callerOf(res), id(req.params), query));
        res.json(
          logs.map((l) => ({
            id: l.id,
            mode: l.mode,
            status: l.status,
            statusCode: l.statusCode,
            durationMs: l.durationMs,
            attempt: l.attempt,
            eventCount: l.eventCount,
            error: l.error,
            responseSnippet: l.responseSnippet,
            deliveryId: l.batchId,
            endpointUrl: l.endpointUrl,
            url: l.endpointUrl,
            createdAt: l.createdAt,
          })),
        );
      },
    }),
  ];
}
