import type { Webhook } from '@hookline/core';

/** A webhook as the API shows it; viewers get the secret redacted. */
export function webhookJson(w: Webhook, options: { redactSecret: boolean; urls?: string[] }) {
  return {
    id: w.id,
    name: w.name,
    description: w.description,
    url: w.url,
    urls: options.urls ?? [w.url],
    events: w.events,
    enabled: w.enabled,
    secret: options.redactSecret ? '[redacted]' : w.secret,
    previousSecretExpiresAt: w.previousSecretExpiresAt,
    headers:
      w.headers && options.redactSecret
        ? Object.fromEntries(Object.keys(w.headers).map((k) => [k, '[redacted]']))
        : w.headers,
    method: w.method,
    contentType: w.contentType,
    bodyTemplate: w.bodyTemplate,
    filter: w.filter,
    trigger: w.trigger,
    token: w.token && options.redactSecret ? '[redacted]' : w.token,
    replyEventType: w.replyEventType,
    order: w.order,
    signature: w.signature,
    eventNames: w.eventNames,
    consecutiveFailures: w.consecutiveFailures,
    disabledReason: w.disabledReason,
    disabledAt: w.disabledAt,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}
