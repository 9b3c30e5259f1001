import { webhookSettingsSchema } from '@hookline/core';
import type { NewWebhook } from '@hookline/db';

/** Every setting's default, as a create through the API applies it (parsed once). */
const { urls: _urls, ...DEFAULTS } = webhookSettingsSchema.parse({
  name: 'webhook',
  urls: ['http://unused.test'],
  events: ['unused'],
  secret: 'secret-0123456789abcdef',
});

/**
 * A webhook row with the API's defaults (POST JSON, Mautic signature, native event names, no
 * template or filter), for code that writes webhooks straight to the database (repository tests,
 * the benchmark's fill) rather than through POST /v1/webhooks.
 */
export function webhookRow(w: Pick<NewWebhook, 'name' | 'url' | 'events'> & Partial<NewWebhook>): NewWebhook {
  return { ...DEFAULTS, ...w };
}
