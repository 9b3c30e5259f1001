import type { Knex } from 'knex';
import { samplePayload } from '@hookline/core';
import {
  endpointsOfWebhook,
  getBatch,
  getDeliveryLog,
  getEndpoint,
  getWebhook,
  listDeliveryLogs,
  type DeliveryLog,
} from '@hookline/db';
import { redeliverBatch, renderBody, sendTest, type RenderContext, type SentOnce } from '@hookline/delivery';
import type { Caller } from './caller.js';
import { outcome, refuse, type Outcome } from './outcome.js';
import { foundApp } from './tenancy.js';
import { foundWebhook, webhookOf } from './webhooks.js';

// Use cases about deliveries: a webhook's log, a test send, a manual redelivery.

/** What sending once uses: the engine's sender and request context, and what rendering reads. */
type Sends = { knex: Knex; engine: Parameters<typeof sendTest>[0] & RenderContext };

/** A webhook's delivery log (every endpoint's), newest first; `before` pages by log id. */
export function webhookDeliveries(
  deps: { knex: Knex },
  caller: Caller,
  appId: string,
  id: string,
  page: { limit: number; before?: string },
): Promise<Outcome<DeliveryLog[]>> {
  return outcome(async () => {
    const { webhook } = await foundWebhook(deps, caller, appId, id, 'view');
    return listDeliveryLogs(deps.knex, webhook.id, page);
  });
}

/**
 * Sends a signed sample of each subscribed type, in the real batch shape, to the webhook's first
 * endpoint (its `url`): one attempt, logged, no retry, no effect on the failure streak.
 */
export function testWebhook(
  deps: Sends,
  caller: Caller,
  appId: string,
  id: string,
): Promise<Outcome<SentOnce>> {
  return outcome(async () => {
    const { webhook } = await foundWebhook(deps, caller, appId, id, 'change');
    const now = new Date();
    const samples = webhook.events.map((type, i) => ({
      eventId: `test-${i + 1}`,
      type,
      payload: JSON.stringify(samplePayload(type)),
      occurredAt: now,
    }));
    const target = { webhook, endpoint: (await endpointsOfWebhook(deps.knex, webhook.id))[0]! };
    return sendTest(deps.engine, target, {
      body: renderBody(target, samples, deps.engine).body,
      eventCount: samples.length,
    });
  });
}

/**
 * Resends a logged delivery's batch now, to the endpoint it went to: same body, same delivery id,
 * logged as `redeliver`. Refused with `conflict` while another process is sending that batch.
 */
export function redeliver(
  deps: Sends,
  caller: Caller,
  appId: string,
  logId: string,
): Promise<Outcome<SentOnce>> {
  return outcome(async () => {
    const app = await foundApp(deps, caller, appId, 'change');
    const log = await getDeliveryLog(deps.knex, logId);
    const batch = log?.batchId ? await getBatch(deps.knex, log.batchId) : undefined;
    if (!log || !batch) return refuse('not_found', `No delivery ${logId} (or its batch was deleted).`);
    const endpoint = await getEndpoint(deps.knex, batch.endpointId);
    // Another application's delivery answers as one that does not exist.
    const webhook = webhookOf(
      caller,
      app,
      endpoint && (await getWebhook(deps.knex, endpoint.webhookId)),
      `No delivery ${logId} (or its webhook was deleted).`,
    );
    // The webhook was found through the endpoint, so there is one.
    const sent = await redeliverBatch(deps.engine, { webhook, endpoint: endpoint! }, batch.id);
    if (!sent) {
      refuse(
        'conflict',
        `Delivery ${batch.id} is being sent right now (by a worker or another redelivery); try again once that attempt ends.`,
      );
    }
    return sent;
  });
}
