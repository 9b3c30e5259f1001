import type { Knex } from 'knex';
import {
  generateSecret,
  isUuid,
  type CatalogueSource,
  type Endpoint,
  type Webhook,
  type WebhookCreate,
  type WebhookPatch,
} from '@hookline/core';
import {
  createWebhook as insertWebhook,
  deleteWebhook as removeWebhook,
  discardBacklog,
  endpointsOf,
  endpointsOfWebhook,
  getWebhook,
  listWebhooks as readWebhooks,
  recoverFailedBatches,
  rotateWebhookSecret as rotateSecret,
  setWebhookEnabled,
  setWebhookUrls,
  updateWebhook as changeWebhook,
  type Application,
  type EndpointWork,
} from '@hookline/db';
import type { Logger } from '@hookline/logger';
import { mayView, requireScope, type Caller } from './caller.js';
import { outcome, refuse, type Outcome } from './outcome.js';
import { foundApp, mayChangeWebhooks, type AppAccess, type TenantReads } from './tenancy.js';
import { checkedUrls, checkSecret, replyType, resolveTypes } from './webhook-input.js';

/** A webhook with its endpoints, in order: what the API, the CLI and the dashboard show. */
export interface WebhookView {
  webhook: Webhook;
  endpoints: Endpoint[];
  /** Whether the caller may see its secret, header values and token (those who may change it). */
  secretsVisible: boolean;
}

/** What reading webhooks needs. */
export type WebhookReads = TenantReads;

/** What changing a webhook needs. */
export interface WebhookWrites extends WebhookReads {
  logger: Logger;
  /** Starts an endpoint's drain now rather than at the next tick; best effort. */
  drains?: { start(work: EndpointWork): void };
}

/** What setting a webhook's settings needs besides: the catalogue its types name, the URL guard. */
export interface WebhookSettingsWrites extends WebhookWrites {
  catalogue: CatalogueSource;
  /** Callback URLs may resolve to private addresses (local development, tests). */
  allowPrivateUrls: boolean;
}

/** How long the old secret keeps signing after a rotation. */
const ROTATION_GRACE_MS = 24 * 3600 * 1000;

/** What a caller does to a webhook: reading it (and its log), or changing or sending to it. */
export type Access = 'view' | 'change';

async function views(
  knex: Knex,
  webhooks: readonly Webhook[],
  secretsVisible: boolean,
): Promise<WebhookView[]> {
  const endpoints = await endpointsOf(
    knex,
    webhooks.map((w) => w.id),
  );
  return webhooks.map((webhook) => ({ webhook, endpoints: endpoints.get(webhook.id)!, secretsVisible }));
}

const viewOf = async (knex: Knex, caller: Caller, found: FoundWebhook) =>
  (await views(knex, [found.webhook], mayChangeWebhooks(caller, found.app)))[0]!;

/** A webhook with the application it belongs to. */
export interface FoundWebhook {
  webhook: Webhook;
  app: Application;
}

/**
 * The webhook `id` of application `appId`, once the caller may `access` it: every use case on one
 * webhook starts here, so the check is written once (foundApp: Mix's rules; then a scoped key's
 * event types). An id that is not a webhook of that application answers not_found, whichever
 * application it belongs to.
 */
export async function foundWebhook(
  deps: TenantReads,
  caller: Caller,
  appId: string,
  id: string,
  access: Access,
): Promise<FoundWebhook> {
  const app = await foundApp(deps, caller, appId, access);
  const webhook = isUuid(id) ? await getWebhook(deps.knex, id) : undefined;
  return { webhook: webhookOf(caller, app, webhook, `No webhook ${id}.`), app };
}

/**
 * The webhook, once it is the application's and in the caller's scope: another application's
 * answers not_found (`missing`), exactly as one that does not exist. foundWebhook's check, for
 * use cases that reach a webhook through another object (a delivery).
 */
export function webhookOf(
  caller: Caller,
  app: Application,
  webhook: Webhook | undefined,
  missing: string,
): Webhook {
  if (!webhook || webhook.appId !== app.id) return refuse('not_found', missing);
  requireScope(caller, webhook);
  return webhook;
}

/** The application's webhooks the caller may see (a scoped key: those of its types), oldest first. */
export function listWebhooks(
  deps: WebhookReads,
  caller: Caller,
  appId: string,
): Promise<Outcome<WebhookView[]>> {
  return outcome(async () => {
    const { app, webhooks } = await visibleWebhooks(deps, caller, appId);
    return views(deps.knex, webhooks, mayChangeWebhooks(caller, app));
  });
}

/** The application, once the caller may view it, and those of its webhooks the caller may see. */
export async function visibleWebhooks(
  deps: WebhookReads,
  caller: Caller,
  appId: string,
  access: Extract<AppAccess, 'view' | 'queue'> = 'view',
): Promise<{ app: Application; webhooks: Webhook[] }> {
  const app = await foundApp(deps, caller, appId, access);
  return { app, webhooks: (await readWebhooks(deps.knex, app.id)).filter((w) => mayView(caller, w)) };
}

export function showWebhook(
  deps: WebhookReads,
  caller: Caller,
  appId: string,
  id: string,
): Promise<Outcome<WebhookView>> {
  return outcome(async () => viewOf(deps.knex, caller, await foundWebhook(deps, caller, appId, id, 'view')));
}

export function createWebhook(
  deps: WebhookSettingsWrites,
  caller: Caller,
  appId: string,
  input: WebhookCreate,
): Promise<Outcome<WebhookView>> {
  return outcome(async () => {
    const app = await foundApp(deps, caller, appId, 'change');
    const secret = input.secret ?? generateSecret(input.signature);
    checkSecret(input.signature, secret);
    const urls = await checkedUrls(input, deps.allowPrivateUrls);
    const { url: _url, urls: _urls, enabled, ...settings } = input;
    const webhook = await insertWebhook(
      deps.knex,
      {
        ...settings,
        appId: app.id,
        secret,
        events: resolveTypes(deps.catalogue, input.events),
        replyEventType: replyType(deps.catalogue, input.replyEventType),
      },
      { urls, enabled },
    );
    deps.logger.info('webhook created', {
      webhookId: webhook.id,
      appId: app.id,
      urls,
      events: webhook.events,
    });
    return viewOf(deps.knex, caller, { webhook, app });
  });
}

/** Applies a PATCH: settings, URLs (`url` alone changes the first endpoint's), enabled. */
export function updateWebhook(
  deps: WebhookSettingsWrites,
  caller: Caller,
  appId: string,
  id: string,
  input: WebhookPatch,
): Promise<Outcome<WebhookView>> {
  return outcome(async () => {
    const found = await foundWebhook(deps, caller, appId, id, 'change');
    const current = found.webhook;
    const { urls: _urls, url: _url, enabled, ...changes } = input;
    const urls = await checkedUrls(input, deps.allowPrivateUrls);
    if (input.replyEventType !== undefined)
      changes.replyEventType = replyType(deps.catalogue, input.replyEventType);
    if (input.events !== undefined)
      changes.events = resolveTypes(deps.catalogue, input.events, current.events);
    checkSecret(input.signature ?? current.signature, input.secret ?? current.secret);
    const webhook = await deps.knex.transaction(async (trx) => {
      if (urls.length > 0) {
        const others = input.urls === undefined ? (await endpointsOfWebhook(trx, current.id)).slice(1) : [];
        const dropped = await setWebhookUrls(trx, current.id, [...urls, ...others.map((e) => e.url)]);
        if (dropped > 0)
          deps.logger.info('webhook urls removed', { webhookId: current.id, droppedQueuedEvents: dropped });
      }
      if (enabled !== undefined) await setWebhookEnabled(trx, current.id, enabled);
      return changeWebhook(trx, current.id, changes);
    });
    if (!webhook) return refuse('not_found', `No webhook ${current.id}.`);
    return viewOf(deps.knex, caller, { webhook, app: found.app });
  });
}

/** Deletes a webhook; its queued events are dropped and logged. */
export function deleteWebhook(
  deps: WebhookWrites,
  caller: Caller,
  appId: string,
  id: string,
): Promise<Outcome<void>> {
  return outcome(async () => {
    const current = (await foundWebhook(deps, caller, appId, id, 'change')).webhook;
    const { deleted, droppedEvents } = await removeWebhook(deps.knex, current.id);
    if (!deleted) refuse('not_found', `No webhook ${current.id}.`);
    deps.logger.info('webhook deleted', { webhookId: current.id, droppedQueuedEvents: droppedEvents });
  });
}

/**
 * Enables every endpoint of a webhook (clearing failure streaks); what was queued while it was
 * disabled is delivered in order, or dropped with `discardBacklog`. Each endpoint's drain starts
 * at once rather than at the next tick.
 */
export function enableWebhook(
  deps: WebhookWrites,
  caller: Caller,
  appId: string,
  id: string,
  options: { discardBacklog: boolean },
): Promise<Outcome<WebhookView>> {
  return outcome(async () => {
    const found = await foundWebhook(deps, caller, appId, id, 'change');
    const current = found.webhook;
    const endpoints = await deps.knex.transaction(async (trx) => {
      const enabled = await setWebhookEnabled(trx, current.id, true);
      if (options.discardBacklog) {
        let discarded = 0;
        for (const e of enabled) discarded += await discardBacklog(trx, e.id);
        deps.logger.info('webhook backlog discarded', { webhookId: current.id, events: discarded });
      }
      return enabled;
    });
    deps.logger.info('webhook enabled', { webhookId: current.id });
    for (const e of endpoints)
      deps.drains?.start({ endpointId: e.id, webhookId: current.id, appId: current.appId });
    return { webhook: current, endpoints, secretsVisible: mayChangeWebhooks(caller, found.app) };
  });
}

/** A new secret; the old one keeps signing for 24 hours. */
export function rotateWebhookSecret(
  deps: WebhookWrites,
  caller: Caller,
  appId: string,
  id: string,
): Promise<Outcome<WebhookView>> {
  return outcome(async () => {
    const found = await foundWebhook(deps, caller, appId, id, 'change');
    const current = found.webhook;
    const webhook = await rotateSecret(
      deps.knex,
      current.id,
      generateSecret(current.signature),
      ROTATION_GRACE_MS,
    );
    if (!webhook) return refuse('not_found', `No webhook ${current.id}.`);
    deps.logger.info('webhook secret rotated', {
      webhookId: webhook.id,
      previousSecretExpiresAt: webhook.previousSecretExpiresAt,
    });
    return viewOf(deps.knex, caller, { webhook, app: found.app });
  });
}

/**
 * Bulk recovery: the webhook's deliveries that failed for good since `since` become pending again
 * and are resent, oldest first, by the workers' recovery sweep (or the CLI, at once). Returns how
 * many, and the endpoints they belong to.
 */
export function recoverWebhook(
  deps: WebhookWrites,
  caller: Caller,
  appId: string,
  id: string,
  since: Date,
): Promise<Outcome<{ batches: number; endpointIds: string[] }>> {
  return outcome(async () => {
    const current = (await foundWebhook(deps, caller, appId, id, 'change')).webhook;
    const endpointIds = (await endpointsOfWebhook(deps.knex, current.id)).map((e) => e.id);
    const batches = await recoverFailedBatches(deps.knex, endpointIds, since);
    deps.logger.info('webhook failed deliveries recovered', {
      webhookId: current.id,
      since: since.toISOString(),
      batches,
    });
    return { batches, endpointIds };
  });
}
