import type { Response } from 'express';
import { z } from 'zod';
import {
  generateSecret,
  isStandardSecret,
  isUuid,
  samplePayload,
  type CatalogueSource,
  type SignatureScheme,
  type Webhook,
} from '@hookline/core';
import {
  createWebhook,
  deleteWebhook,
  discardBacklog,
  endpointsOf,
  getWebhook,
  listDeliveryLogs,
  listWebhooks,
  recoverFailedBatches,
  rotateWebhookSecret,
  setWebhookEnabled,
  setWebhookUrls,
  updateWebhook,
  type WebhookChanges,
} from '@hookline/db';
import { renderBody, sendTest } from '@hookline/delivery';
import { ApiError } from '../api-error.js';
import { mayView } from '../auth.js';
import type { ApiDeps } from '../api-deps.js';
import {
  deliveriesQuerySchema,
  enableQuerySchema,
  recoverSchema,
  webhookCreateSchema,
  webhookPatchSchema,
} from '../schemas.js';
import { deliverySchema, recoverResultSchema, testResultSchema, webhookSchema } from '../response-schemas.js';
import { route, type Route } from '../route.js';
import { webhookJson } from '../webhook-json.js';
import { checkWebhookUrl } from '../webhook-url.js';

/** How long the old secret keeps signing after a rotation. */
const ROTATION_GRACE_MS = 24 * 3600 * 1000;

/** Subscriptions name active types (or system types); an archived one may stay but not be added. */
function resolveTypes(source: CatalogueSource, names: string[], kept: readonly string[] = []): string[] {
  const catalogue = source.current();
  const keep = (n: string) => kept.includes(catalogue.find(n)?.name ?? n);
  const unknown = names.filter((n) => !catalogue.resolveSubscribable(n) && !keep(n));
  if (unknown.length > 0) {
    throw new ApiError('unknown_event_type', `Unknown event type "${unknown[0]}".`, { unknown });
  }
  return [...new Set(names.map((n) => catalogue.resolveSubscribable(n) ?? catalogue.find(n)!.name))];
}

/** A reply type must be an active type producers could post (not a system type). */
function replyType(source: CatalogueSource, name: string | null | undefined): string | null {
  if (name === undefined || name === null) return null;
  const resolved = source.current().resolve(name);
  if (!resolved) {
    throw new ApiError('unknown_event_type', `replyEventType: unknown or archived event type "${name}".`, {
      unknown: [name],
    });
  }
  return resolved;
}

function checkSecret(scheme: SignatureScheme, secret: string): void {
  if (scheme === 'standard' && !isStandardSecret(secret)) {
    throw new ApiError(
      'invalid_body',
      'secret: Standard Webhooks secrets are "whsec_" plus base64 of 24+ bytes; omit it to have one generated, or call rotate-secret.',
    );
  }
}

/** The webhooks as the API shows them, each with its endpoints. */
async function shown(deps: ApiDeps, res: Response, webhooks: readonly Webhook[]) {
  const endpoints = await endpointsOf(
    deps.knex,
    webhooks.map((w) => w.id),
  );
  const redactSecret = res.locals.principal?.role === 'viewer';
  return webhooks.map((w) => webhookJson(w, endpoints.get(w.id)!, { redactSecret }));
}

/** The webhook's endpoints, in order (a webhook has at least one). */
async function endpointsOfWebhook(deps: ApiDeps, webhook: Webhook) {
  return (await endpointsOf(deps.knex, [webhook.id])).get(webhook.id)!;
}

async function show(deps: ApiDeps, res: Response, webhook: Webhook) {
  return (await shown(deps, res, [webhook]))[0];
}

/** Every URL of the request checked (SSRF guard), in order; `url` alone is a list of one. */
async function checkedUrls(input: { url?: string; urls?: string[] }, allowPrivate: boolean) {
  const urls = input.urls ?? (input.url === undefined ? [] : [input.url]);
  return Promise.all(urls.map((u) => checkWebhookUrl(u, allowPrivate)));
}

/** A scoped viewer sees only webhooks of its event types: the others answer 403. */
export function visible(res: Response, webhook: Webhook): Webhook {
  if (!mayView(res.locals.principal, webhook)) {
    throw new ApiError(
      'forbidden',
      `This key sees only webhooks subscribed to ${res.locals.principal!.eventTypes!.join(', ')}.`,
    );
  }
  return webhook;
}

/** The webhooks the caller may see: all of them, or a scoped viewer's (see mayView). */
export async function visibleWebhooks(deps: ApiDeps, res: Response): Promise<Webhook[]> {
  const principal = res.locals.principal;
  return (await listWebhooks(deps.knex)).filter((w) => mayView(principal, w));
}

export async function foundWebhook(deps: ApiDeps, id: string): Promise<Webhook> {
  const webhook = isUuid(id) ? await getWebhook(deps.knex, id) : undefined;
  if (!webhook) throw new ApiError('not_found', `No webhook ${id}.`);
  return webhook;
}

const webhookPath = '/v1/webhooks/{id}';

export function webhookRoutes(deps: ApiDeps): Route[] {
  const { catalogue, logger } = deps.engine;
  const { knex } = deps;

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
      handler: async (_req, res, { body: input }) => {
        const secret = input.secret ?? generateSecret(input.signature);
        checkSecret(input.signature, secret);
        const urls = await checkedUrls(input, deps.allowPrivateUrls);
        const { url: _url, urls: _urls, enabled, ...settings } = input;
        const webhook = await createWebhook(
          knex,
          {
            ...settings,
            secret,
            events: resolveTypes(catalogue, input.events),
            replyEventType: replyType(catalogue, input.replyEventType),
          },
          { urls, enabled },
        );
        logger.info('webhook created', { webhookId: webhook.id, urls, events: webhook.events });
        res.status(201).json(await show(deps, res, webhook));
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
        res.json(await shown(deps, res, await visibleWebhooks(deps, res)));
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
        res.json(await show(deps, res, visible(res, await foundWebhook(deps, req.params.id as string))));
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
      handler: async (req, res, { body: input }) => {
        const current = await foundWebhook(deps, req.params.id as string);
        const { urls: _urls, url: _url, enabled, ...fields } = input;
        const changes: WebhookChanges = { ...fields };
        const urls = await checkedUrls(input, deps.allowPrivateUrls);
        if (input.replyEventType !== undefined)
          changes.replyEventType = replyType(catalogue, input.replyEventType);
        if (input.events !== undefined)
          changes.events = resolveTypes(catalogue, input.events, current.events);
        checkSecret(input.signature ?? current.signature, input.secret ?? current.secret);
        const webhook = await knex.transaction(async (trx) => {
          if (urls.length > 0) {
            // `url` alone changes the first endpoint's URL; `urls` replaces the list.
            const others =
              input.urls === undefined
                ? (await endpointsOf(trx, [current.id])).get(current.id)!.slice(1)
                : [];
            const dropped = await setWebhookUrls(trx, current.id, [...urls, ...others.map((e) => e.url)]);
            if (dropped > 0)
              logger.info('webhook urls removed', { webhookId: current.id, droppedQueuedEvents: dropped });
          }
          if (enabled !== undefined) await setWebhookEnabled(trx, current.id, enabled);
          return updateWebhook(trx, current.id, changes);
        });
        if (!webhook) throw new ApiError('not_found', `No webhook ${current.id}.`);
        res.json(await show(deps, res, webhook));
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
        const current = await foundWebhook(deps, req.params.id as string);
        const { deleted, droppedEvents } = await deleteWebhook(knex, current.id);
        if (!deleted) throw new ApiError('not_found', `No webhook ${current.id}.`);
        logger.info('webhook deleted', { webhookId: current.id, droppedQueuedEvents: droppedEvents });
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
        const current = await foundWebhook(deps, req.params.id as string);
        const endpoints = await knex.transaction(async (trx) => {
          const enabled = await setWebhookEnabled(trx, current.id, true);
          let discarded = 0;
          if (query.discardBacklog) for (const e of enabled) discarded += await discardBacklog(trx, e.id);
          if (query.discardBacklog)
            logger.info('webhook backlog discarded', { webhookId: current.id, events: discarded });
          return enabled;
        });
        logger.info('webhook enabled', { webhookId: current.id });
        // Each endpoint drains on its own.
        for (const e of endpoints) deps.drains?.start(e.id);
        res.json(await show(deps, res, current));
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
      handler: async (req, res, { body: input }) => {
        const current = await foundWebhook(deps, req.params.id as string);
        const endpoints = (await endpointsOfWebhook(deps, current)).map((e) => e.id);
        const batches = await recoverFailedBatches(knex, endpoints, new Date(input.since));
        logger.info('webhook failed deliveries recovered', {
          webhookId: current.id,
          since: input.since,
          batches,
        });
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
        const current = await foundWebhook(deps, req.params.id as string);
        const webhook = await rotateWebhookSecret(
          knex,
          current.id,
          generateSecret(current.signature),
          ROTATION_GRACE_MS,
        );
        if (!webhook) throw new ApiError('not_found', `No webhook ${current.id}.`);
        logger.info('webhook secret rotated', {
          webhookId: webhook.id,
          previousSecretExpiresAt: webhook.previousSecretExpiresAt,
        });
        res.json(await show(deps, res, webhook));
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
        const webhook = await foundWebhook(deps, req.params.id as string);
        const now = new Date();
        const samples = webhook.events.map((type, i) => ({
          eventId: `test-${i + 1}`,
          type,
          payload: JSON.stringify(samplePayload(type)),
          occurredAt: now,
        }));
        // To the webhook's first endpoint, its `url`.
        const target = { webhook, endpoint: (await endpointsOfWebhook(deps, webhook))[0]! };
        const { result } = await sendTest(deps.engine, target, {
          body: renderBody(target, samples, deps.engine).body,
          eventCount: samples.length,
        });
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
        const webhook = visible(res, await foundWebhook(deps, req.params.id as string));
        // One log across the webhook's endpoints, each row saying which URL it was about.
        const logs = await listDeliveryLogs(knex, webhook.id, {
          limit: query.limit,
          before: query.before,
        });
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
