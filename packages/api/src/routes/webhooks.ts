import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveryLogs,
  listWebhooks,
  updateWebhook,
  type WebhookChanges,
} from '@hookline/db';
import type { EventCatalogue, Webhook } from '@hookline/core';
import { ApiError } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { requireRole } from '../auth.js';
import { deliveriesQuerySchema, webhookCreateSchema, webhookPatchSchema } from '../schemas.js';
import { validate } from '../validate.js';
import { webhookJson } from '../webhook-json.js';
import { checkWebhookUrl } from '../webhook-url.js';

function resolveTypes(catalogue: EventCatalogue, names: string[]): string[] {
  const unknown = names.filter((n) => !catalogue.resolve(n));
  if (unknown.length > 0) {
    throw new ApiError('unknown_event_type', `Unknown event type "${unknown[0]}".`, { unknown });
  }
  return [...new Set(names.map((n) => catalogue.resolve(n)!))];
}

function show(res: Response, webhook: Webhook) {
  return webhookJson(webhook, { redactSecret: res.locals.principal?.role === 'viewer' });
}

async function found(deps: ApiDeps, id: string): Promise<Webhook> {
  const webhook = isUuid(id) ? await getWebhook(deps.engine.knex, id) : undefined;
  if (!webhook) throw new ApiError('not_found', `No webhook ${id}.`);
  return webhook;
}

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

export function webhookRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { knex, catalogue, logger } = deps.engine;

  router.post('/v1/webhooks', requireRole(), async (req, res) => {
    const input = validate(webhookCreateSchema, req.body);
    const webhook = await createWebhook(knex, {
      name: input.name,
      description: input.description ?? null,
      url: await checkWebhookUrl(input.url, deps.allowPrivateUrls),
      events: resolveTypes(catalogue, input.events),
      enabled: input.enabled,
      secret: input.secret ?? randomBytes(32).toString('hex'),
      method: input.method,
      contentType: input.contentType,
      bodyTemplate: input.bodyTemplate ?? null,
      filter: input.filter ?? null,
      order: input.order ?? null,
      signature: input.signature,
      eventNames: input.eventNames,
    });
    logger.info('webhook created', { webhookId: webhook.id, url: webhook.url, events: webhook.events });
    res.status(201).json(show(res, webhook));
  });

  router.get('/v1/webhooks', requireRole('viewer'), async (_req, res) => {
    res.json((await listWebhooks(knex)).map((w) => show(res, w)));
  });

  router.get('/v1/webhooks/:id', requireRole('viewer'), async (req, res) => {
    res.json(show(res, await found(deps, req.params.id as string)));
  });

  router.patch('/v1/webhooks/:id', requireRole(), async (req, res) => {
    const id = req.params.id as string;
    await found(deps, id);
    const input = validate(webhookPatchSchema, req.body ?? {});
    const changes: WebhookChanges = { ...input };
    if (input.url !== undefined) changes.url = await checkWebhookUrl(input.url, deps.allowPrivateUrls);
    if (input.events !== undefined) changes.events = resolveTypes(catalogue, input.events);
    const webhook = await updateWebhook(knex, id, changes);
    if (!webhook) throw new ApiError('not_found', `No webhook ${id}.`);
    res.json(show(res, webhook));
  });

  router.delete('/v1/webhooks/:id', requireRole(), async (req, res) => {
    const id = req.params.id as string;
    await found(deps, id);
    const { deleted, droppedEvents } = await deleteWebhook(knex, id);
    if (!deleted) throw new ApiError('not_found', `No webhook ${id}.`);
    logger.info('webhook deleted', { webhookId: id, droppedQueuedEvents: droppedEvents });
    res.status(204).end();
  });

  router.post('/v1/webhooks/:id/enable', requireRole(), async (req, res) => {
    const id = req.params.id as string;
    await found(deps, id);
    const webhook = await updateWebhook(knex, id, { enabled: true });
    if (!webhook) throw new ApiError('not_found', `No webhook ${id}.`);
    res.json(show(res, webhook));
  });

  router.get('/v1/webhooks/:id/deliveries', requireRole('viewer'), async (req, res) => {
    const webhook = await found(deps, req.params.id as string);
    const query = validate(deliveriesQuerySchema, req.query, 'invalid_query');
    const logs = await listDeliveryLogs(knex, webhook.id, { limit: query.limit, before: query.before });
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
        createdAt: l.createdAt,
      })),
    );
  });

  return router;
}
