import { latestDeliveries } from '@hookline/db';
import type { Caller } from './caller.js';
import { outcome, valueOf, type Outcome } from './outcome.js';
import { listWebhooks, type WebhookReads } from './webhooks.js';

/** How a webhook is doing, as the dashboard's list shows it. */
export interface WebhookHealth {
  webhookId: string;
  /** `disabled` (its first endpoint is), `failing` (its latest delivery failed) or `healthy`. */
  state: 'healthy' | 'failing' | 'disabled';
  /** The disable reason, the last error, or when it last delivered. */
  detail: string;
  lastDeliveryAt: Date | null;
}

/** Every webhook of the application the caller may see, with its health: one statement for all. */
export function webhookHealth(
  deps: WebhookReads,
  caller: Caller,
  appId: string,
): Promise<Outcome<WebhookHealth[]>> {
  return outcome(async () => {
    const views = valueOf(await listWebhooks(deps, caller, appId));
    const latest = await latestDeliveries(
      deps.knex,
      views.map((v) => v.webhook.id),
    );
    return views.map(({ webhook, endpoints }): WebhookHealth => {
      const first = endpoints[0]!;
      const last = latest.get(webhook.id);
      const lastDeliveryAt = last?.createdAt ?? null;
      if (!first.enabled) {
        return {
          webhookId: webhook.id,
          state: 'disabled',
          detail: first.disabledReason ?? 'disabled by an admin',
          lastDeliveryAt,
        };
      }
      if (last?.status === 'failed') {
        return {
          webhookId: webhook.id,
          state: 'failing',
          detail: last.error ?? `HTTP ${last.statusCode}`,
          lastDeliveryAt,
        };
      }
      const detail = last ? `last delivery ${last.createdAt.toISOString()}` : 'no deliveries yet';
      return { webhookId: webhook.id, state: 'healthy', detail, lastDeliveryAt };
    });
  });
}
