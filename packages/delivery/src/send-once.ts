import type { DeliveryMode, Webhook } from '@hookline/core';
import { insertBatches, insertDeliveryLog, markBatchDelivered } from '@hookline/db';
import { buildRequest } from './build-request.js';
import type { EngineDeps } from './engine-deps.js';
import type { SendResult } from './send-request.js';
import { observeDelivery } from './observe-delivery.js';

export interface SendOnceInput {
  /** An existing batch to resend under its own id (redelivery), or none for a test send. */
  batchId?: string;
  body: string;
  eventCount: number;
  hops: number;
  mode: Extract<DeliveryMode, 'test' | 'redeliver'>;
}

/**
 * One attempt, logged, with no retry and no effect on the failure streak: the test button and
 * manual redelivery. A redelivered batch that had failed for good is marked delivered on success.
 */
export async function sendOnce(
  deps: EngineDeps,
  webhook: Webhook,
  input: SendOnceInput,
): Promise<{ result: SendResult; deliveryId: string; logId: string }> {
  const settings = deps.settings.current();
  const deliveryId =
    input.batchId ??
    (
      await insertBatches(deps.knex, [
        {
          webhookId: webhook.id,
          mode: input.mode,
          body: input.body,
          eventIds: [],
          eventCount: input.eventCount,
          hops: input.hops,
        },
      ])
    )[0]!;
  const result = await deps.sender.send(
    buildRequest(deps, webhook, { id: deliveryId, body: input.body, hops: input.hops }, new Date()),
  );
  observeDelivery(deps, input.mode, result);
  const logId = await deps.knex.transaction(async (trx) => {
    if (input.mode === 'test') {
      await trx('batches')
        .where({ id: deliveryId })
        .update({ status: result.ok ? 'success' : 'failed', attempts: 1, updated_at: trx.fn.now() });
    } else if (result.ok) {
      await markBatchDelivered(trx, deliveryId);
    }
    return insertDeliveryLog(
      trx,
      {
        webhookId: webhook.id,
        batchId: deliveryId,
        mode: input.mode,
        status: result.ok ? 'success' : 'failed',
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        attempt: 1,
        eventCount: input.eventCount,
        error: result.ok ? null : result.error,
        responseSnippet: result.responseSnippet,
      },
      settings.logMax,
    );
  });
  return { result, deliveryId, logId };
}
