import type { Target } from '@hookline/core';
import { acceptEvents } from './accept-events.js';
import type { EngineDeps } from './engine-deps.js';
import { sendImmediate } from './send-immediate.js';

/**
 * Raises `system.webhook_disabled` like any other event, so webhooks subscribed to it hear about
 * the disabled one through the normal, durable path (queue or immediate, per the settings). The
 * `url` is the endpoint that was disabled (a webhook's other URLs may still be delivered to).
 */
export async function notifyWebhookDisabled(
  deps: EngineDeps,
  { webhook, endpoint }: Target,
  reason: string,
): Promise<void> {
  const payload = JSON.stringify({
    webhook: { id: webhook.id, name: webhook.name, url: endpoint.url },
    reason,
    disabledAt: new Date().toISOString(),
  });
  // Told to the webhooks of the disabled one's application only.
  const outcome = await acceptEvents(deps, [
    {
      appId: webhook.appId,
      type: 'system.webhook_disabled',
      payload,
      occurredAt: new Date(),
      idempotencyKey: null,
    },
  ]);
  await sendImmediate(deps, outcome.immediate);
}
