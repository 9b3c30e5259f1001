import { deliveryHeaders, type Target, type Webhook } from '@hookline/core';
import type { EngineDeps } from './engine-deps.js';
import type { OutboundRequest } from './send-request.js';

export interface SignedBody {
  /** The delivery id (X-Hookline-Delivery, webhook-id). */
  id: string;
  body: string;
  /** The most hops among the batch's events. */
  hops: number;
}

/** The previous secret while its rotation overlap lasts (it still signs), else null. */
function previousSecret(webhook: Webhook, now: Date): string | null {
  const overlap = webhook.previousSecretExpiresAt && webhook.previousSecretExpiresAt > now;
  return overlap ? webhook.previousSecret : null;
}

/**
 * The outbound request for a stored body, to the target's endpoint. GET carries no body: a form body becomes the query
 * string, any other body goes in `payload=`; the signature covers the stored body either way.
 */
export function buildRequest(
  deps: Pick<EngineDeps, 'publicUrl' | 'userAgent' | 'settings'>,
  { webhook, endpoint }: Target,
  batch: SignedBody,
  now: Date,
): OutboundRequest {
  const headers = deliveryHeaders({
    secret: webhook.secret,
    previousSecret: previousSecret(webhook, now),
    scheme: webhook.signature,
    body: batch.body,
    deliveryId: batch.id,
    contentType: webhook.contentType,
    publicUrl: deps.publicUrl,
    userAgent: deps.userAgent,
    hops: batch.hops + 1,
    now,
    extra: webhook.headers,
  });
  const timeoutMs = deps.settings.current().timeoutMs;
  if (webhook.method === 'POST')
    return { url: endpoint.url, method: 'POST', headers, body: batch.body, timeoutMs };
  const url = new URL(endpoint.url);
  const query =
    webhook.contentType === 'application/x-www-form-urlencoded'
      ? batch.body
      : new URLSearchParams({ payload: batch.body }).toString();
  url.search = url.search ? `${url.search.slice(1)}&${query}` : query;
  delete headers['content-type'];
  return { url: url.toString(), method: 'GET', headers, body: '', timeoutMs };
}
