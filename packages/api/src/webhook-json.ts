import type { Webhook } from '@hookline/core';

const REDACTED = '[redacted]';

/**
 * A webhook as the API shows it (response-schemas' webhookSchema): every stored field but the
 * previous secret and the row link, with all its callback URLs; viewers get the secret, header
 * values and token redacted.
 */
export function webhookJson(w: Webhook, options: { redactSecret: boolean; urls?: string[] }) {
  const { previousSecret: _previous, primaryId: _row, ...shown } = w;
  const redact = options.redactSecret;
  return {
    ...shown,
    urls: options.urls ?? [w.url],
    secret: redact ? REDACTED : w.secret,
    headers:
      w.headers && redact ? Object.fromEntries(Object.keys(w.headers).map((k) => [k, REDACTED])) : w.headers,
    token: w.token && redact ? REDACTED : w.token,
  };
}
