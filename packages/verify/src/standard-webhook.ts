import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export type HeaderBag = Record<string, string | string[] | undefined>;

export type StandardVerification = { ok: true; payload: unknown; id: string } | { ok: false; reason: string };

/**
 * Checks a Standard Webhooks delivery (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with
 * the reference `standardwebhooks` package: signature over `id.timestamp.body`, and a timestamp
 * within 5 minutes, which refuses replays. `secret` is the webhook's `whsec_…` secret.
 */
export function verifyStandardWebhook(
  secret: string,
  rawBody: string | Buffer,
  headers: HeaderBag,
): StandardVerification {
  const pick = (name: string) => {
    const v = headers[name] ?? headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(' ') : (v ?? '');
  };
  const wanted = {
    'webhook-id': pick('webhook-id'),
    'webhook-timestamp': pick('webhook-timestamp'),
    'webhook-signature': pick('webhook-signature'),
  };
  try {
    const payload = new Webhook(secret).verify(rawBody, wanted);
    return { ok: true, payload, id: wanted['webhook-id'] };
  } catch (err) {
    if (err instanceof WebhookVerificationError) return { ok: false, reason: err.message };
    throw err;
  }
}
