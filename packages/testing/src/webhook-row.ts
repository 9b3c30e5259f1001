import type { NewWebhook } from '@hookline/db';

/**
 * A webhook row with the API's defaults (POST JSON, Mautic signature, native event names, no
 * template or filter), for code that writes webhooks straight to the database (repository tests,
 * the benchmark's fill) rather than through POST /v1/webhooks.
 */
export function webhookRow(w: Pick<NewWebhook, 'name' | 'url' | 'events'> & Partial<NewWebhook>): NewWebhook {
  return {
    description: null,
    enabled: true,
    secret: 'secret-0123456789abcdef',
    headers: null,
    method: 'POST',
    contentType: 'application/json',
    bodyTemplate: null,
    filter: null,
    order: null,
    signature: 'mautic',
    eventNames: 'native',
    ...w,
  };
}
