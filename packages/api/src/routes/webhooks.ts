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
import { appOf, route, type Route } from '../route.js';
import { webhookJson } from '../webhook-json.js';

const webhookPath = '/v1/webhooks/{id}';

/** The webhook routes: each translates its use case (packages/use-cases) to HTTP, and no more. */
export function webhookRoutes(deps: ApiDeps): Route[] {
  const writes = {
    knex: deps.knex,
    apps: deps.apps,
    catalogue: deps.engine.catalogue,
    logger: deps.engine.logger,
    allowPrivateUrls: deps.allowPrivateUrls,
    drains: deps.drains,
  };
  const sends = { knex: deps.knex, apps: deps.apps, engine: deps.engine };
  const id = (params: Record<string, unknown>) => params.id as string;
  // Those who may not change a webhook see its secret, header values and token redacted.
  const json = (view: WebhookView) =>
    webhookJson(view.webhook, view.endpoints, { redactSecret: !view.secretsVisible });

  return [
    route({
      method: 'post',
      path: '/v1/webhooks',
      summary: 'Create a webhook (the reply includes its secret)',
      access: { app: 'change' },
      body: webhookCreateSchema,
      status: 201,
      response: webhookSchema,
      errors: [400, 422],
      handler: async (req, res, { body }) => {
        res.status(201).json(json(unwrap(await createWebhook(writes, callerOf(res), appOf(req), body))));
      },
    }),

    route({
      method: 'get',
      path: '/v1/webhooks',
      summary: 'List webhooks',
      access: { app: 'view' },
      status: 200,
      response: z.array(webhookSchema),
      handler: async (req, res) => {
        res.json(unwrap(await listWebhooks(deps, callerOf(res), appOf(req))).map(json));
      },
    }),

    route({
      method: 'get',
      path: '/v1/webhook-health',
      summary:
        "Every webhook's health in one call: disabled, failing (its latest delivery failed) or healthy (Hookline addition)",
      access: { app: 'view' },
      status: 200,
      response: webhookHealthSchema,
      handler: async (req, res) => {
        res.json({ webhooks: unwrap(await webhookHealth(deps, callerOf(res), appOf(req))) });
      },
    }),

    route({
      method: 'get',
      path: webhookPath,
      summary: 'One webhook',
      access: { app: 'view' },
      status: 200,
      response: webhookSchema,
      errors: [404],
      handler: async (req, res) => {
        res.json(json(unwrap(await showWebhook(deps, callerOf(res), appOf(req), id(req.params)))));
      },
    }),

    route({
      method: 'patch',
      path: webhookPath,
      summary: 'Change a webhook',
      access: { app: 'change' },
      body: webhookPatchSchema,
      status: 200,
      response: webhookSchema,
      errors: [400, 404, 422],
      handler: async (req, res, { body }) => {
        res.json(json(unwrap(await updateWebhook(writes, callerOf(res), appOf(req), id(req.params), body))));
      },
    }),

    route({
      method: 'delete',
      path: webhookPath,
      summary: 'Delete a webhook; its queued events are dropped and logged',
      access: { app: 'change' },
      status: 204,
      errors: [404],
      handler: async (req, res) => {
        unwrap(await deleteWebhook(writes, callerOf(res), appOf(req), id(req.params)));
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
      access: { app: 'change' },
      query: enableQuerySchema,
      status: 200,
      response: webhookSchema,
      errors: [400, 404],
      handler: async (req, res, { query }) => {
        res.json(json(unwrap(await enableWebhook(writes, callerOf(res), appOf(req), id(req.params), query))));
      },
    }),

    route({
      method: 'post',
      path: `${webhookPath}/recover`,
      summary:
        "Resend the webhook's failed deliveries made since a time, oldest first, under the normal lock and retry rules",
      access: { app: 'change' },
      body: recoverSchema,
      status: 202,
      response: recoverResultSchema,
      errors: [400, 404],
      handler: async (req, res, { body }) => {
        const since = new Date(body.since);
        const { batches } = unwrap(
          await recoverWebhook(writes, callerOf(res), appOf(req), id(req.params), since),
        );
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
      access: { app: 'change' },
      status: 200,
      response: webhookSchema,
      errors: [404],
      handler: async (req, res) => {
        res.json(json(unwrap(await rotateWebhookSecret(writes, callerOf(res), appOf(req), id(req.params)))));
      },
    }),

    // Sends one sample of each subscribed type in the real batch shape (unlike Mautic's test payload).
    route({
      method: 'post',
      path: `${webhookPath}/test`,
      summary: 'Send a signed sample of each subscribed type, in the real batch shape',
      access: { app: 'change' },
      status: 200,
      response: testResultSchema,
      errors: [404],
      handler: async (req, res) => {
        const { result } = unwrap(await testWebhook(sends, callerOf(res), appOf(req), id(req.params)));
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
      access: { app: 'view' },
      query: deliveriesQuerySchema,
      status: 200,
      response: z.array(deliverySchema),
      errors: [400, 404],
      handler: async (req, res, { query }) => {
        const logs = unwrap(await webhookDeliveries(deps, callerOf(res), appOf(req), id(req.params), query));
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
