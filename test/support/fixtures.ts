import { queueDepth } from '@hookline/db';
import type { Harness } from '@hookline/testing';

export interface WebhookBody {
  id: string;
  secret: string;
  enabled: boolean;
  [key: string]: unknown;
}

export async function createWebhook(h: Harness, fields: Record<string, unknown>): Promise<WebhookBody> {
  const res = await h.api<WebhookBody>('POST', '/v1/webhooks', { name: 'test hook', ...fields });
  if (res.status !== 201) throw new Error(`webhook create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function postEvents(h: Harness, events: Record<string, unknown>[]) {
  const res = await h.api<{ accepted: number; events: { id: string; duplicate: boolean }[] }>(
    'POST',
    '/v1/events',
    {
      events,
    },
  );
  if (res.status !== 202) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Events still waiting for a webhook (or all): queued, or in a batch not yet delivered. */
export const depth = (h: Harness, webhookId?: string) => queueDepth(h.db.knex, webhookId);
