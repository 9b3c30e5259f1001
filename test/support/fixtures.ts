import { queueDepth } from '@hookline/db';
import type { Harness } from '@hookline/testing';

export interface WebhookBody {
  id: string;
  secret: string;
  enabled: boolean;
  [key: string]: unknown;
}

/** The routes of an application: unprefixed for `default`, else under /v1/apps/:app. */
const under = (app: string | undefined, path: string) => (app ? `/v1/apps/${app}${path.slice(3)}` : path);

export async function createWebhook(
  h: Harness,
  fields: Record<string, unknown>,
  app?: string,
): Promise<WebhookBody> {
  const res = await h.api<WebhookBody>('POST', under(app, '/v1/webhooks'), { name: 'test hook', ...fields });
  if (res.status !== 201) throw new Error(`webhook create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function postEvents(h: Harness, events: Record<string, unknown>[], app?: string) {
  const res = await h.api<{ accepted: number; events: { id: string; duplicate: boolean }[] }>(
    'POST',
    under(app, '/v1/events'),
    {
      events,
    },
  );
  if (res.status !== 202) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Events still waiting for a webhook (or all): queued, or in a batch not yet delivered. */
export const depth = (h: Harness, webhookId?: string) => queueDepth(h.db.knex, webhookId);

/** A reply of GET /v1/stats (or /v1/apps/:app/stats). */
export interface Stats {
  window: string;
  buckets: {
    t: string;
    success: number;
    failed: number;
    p50Ms: number | null;
    p99Ms: number | null;
    queueDepth: number | null;
    retryBacklog: number | null;
  }[];
}

/** The deliveries a stats reply counts over its window: successes or failures. */
export const totalOf = (s: Stats, key: 'success' | 'failed') => s.buckets.reduce((n, b) => n + b[key], 0);
