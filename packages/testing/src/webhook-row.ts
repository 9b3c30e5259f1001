import { webhookSettingsSchema } from '@hookline/core';
import type { Knex } from 'knex';
import { endpointsOfWebhook, type NewWebhook } from '@hookline/db';

/** Every setting's default, as a create through the API applies it (parsed once). */
const {
  urls: _urls,
  enabled: _enabled,
  ...DEFAULTS
} = webhookSettingsSchema.parse({
  name: 'webhook',
  urls: ['http://unused.test'],
  events: ['unused'],
  secret: 'secret-0123456789abcdef',
});

/**
 * createWebhook's arguments for a webhook with the API's defaults (POST JSON, Mautic signature,
 * native event names, no template or filter) and one endpoint at `url`, for code that writes
 * webhooks straight to the database (repository tests, the benchmark's fill) rather than through
 * POST /v1/webhooks: `createWebhook(knex, ...webhookRow({ name, url, events }))`.
 */
export function webhookRow(
  w: Pick<NewWebhook, 'name' | 'events'> & Partial<NewWebhook> & { url: string; enabled?: boolean },
): [NewWebhook, { urls: string[]; enabled: boolean }] {
  const { url, enabled = true, ...settings } = w;
  return [
    { ...DEFAULTS, appId: 'default', ...settings },
    { urls: [url], enabled },
  ];
}

/**
 * A webhook's rows of a table keyed by endpoint (`batches`, `delivery_logs`, `endpoint_queue`),
 * through its endpoints: for tests that look at what Hookline stored for one webhook.
 */
export function ofWebhook(
  knex: Knex,
  table: 'batches' | 'delivery_logs' | 'endpoint_queue',
  webhookId: string,
) {
  return knex(table).whereIn('endpoint_id', knex('endpoints').select('id').where({ webhook_id: webhookId }));
}

/** The id of a webhook's first endpoint (its `url`): what batches, leases and drains name. */
export async function endpointOf(knex: Knex, webhookId: string): Promise<string> {
  const [first] = await endpointsOfWebhook(knex, webhookId);
  if (!first) throw new Error(`webhook ${webhookId} has no endpoint`);
  return first.id;
}
