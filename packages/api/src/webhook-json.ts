import type { Endpoint, Webhook } from '@hookline/core';

const REDACTED = '[redacted]';

/**
 * A webhook as the API shows it (response-schemas' webhookSchema): every stored field but the
 * previous secret, with its endpoints' URLs, and the delivery state of its first endpoint (its
 * `url`), as a webhook with one URL has always shown it. Viewers get the secret, header values
 * and token redacted.
 */
export function webhookJson(w: Webhook, endpoints: readonly Endpoint[], options: { redactSecret: boolean }) {
  const { previousSecret: _previous, ...shown } = w;
  const first = endpoints[0]!;
  const redact = options.redactSecret;
  return {
    ...shown,
    url: first.url,
    urls: endpoints.map((e) => e.url),
    enabled: first.enabled,
    consecutiveFailures: first.consecutiveFailures,
    disabledReason: first.disabledReason,
    disabledAt: first.disabledAt,
    secret: redact ? REDACTED : w.secret,
    headers:
      w.headers && redact ? Object.fromEntries(Object.keys(w.headers).map((k) => [k, REDACTED])) : w.headers,
    token: w.token && redact ? REDACTED : w.token,
  };
}
