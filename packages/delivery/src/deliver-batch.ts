import { nextRetry, type DeliveryMode, type Target } from '@hookline/core';
import { failBatchAttempt, insertDeliveryLog, recordEndpointFailure, type PreparedBatch } from '@hookline/db';
import { buildRequest } from './build-request.js';
import type { EngineDeps } from './engine-deps.js';
import type { SendResult } from './send-request.js';
import { observeDelivery } from './observe-delivery.js';

export interface BatchToSend {
  id: string;
  body: string;
  eventCount: number;
  /** Attempts made before this one. */
  attempts: number;
  mode: DeliveryMode;
  hops: number;
}

/**
 * What delivering a batch uses: the sender and what a request is built from, the retry policy,
 * the database and the recorder of successes, the counters, and the hooks a disable or a reply
 * calls.
 */
export type DeliverDeps = Pick<
  EngineDeps,
  | 'knex'
  | 'sender'
  | 'settings'
  | 'publicUrl'
  | 'userAgent'
  | 'retryPolicy'
  | 'random'
  | 'recordDelivered'
  | 'logger'
  | 'metrics'
  | 'stats'
  | 'onEndpointDisabled'
  | 'onReply'
>;

export type DeliveryOutcome =
  | { outcome: 'delivered'; result: SendResult }
  | { outcome: 'retry_scheduled'; result: SendResult; delayMs: number }
  | { outcome: 'failed'; result: SendResult }
  | { outcome: 'endpoint_disabled'; result: SendResult };

function logFields(target: Target, batch: BatchToSend, attempt: number, result: SendResult) {
  return {
    endpointId: target.endpoint.id,
    batchId: batch.id,
    mode: batch.mode,
    statusCode: result.statusCode,
    durationMs: result.durationMs,
    attempt,
    eventCount: batch.eventCount,
    responseSnippet: result.responseSnippet,
  };
}

/**
 * Sends a batch the caller has locked and records the outcome: a delivery log row always; on
 * success the batch settles and its events leave the queue; on failure the same batch (same id,
 * same body) is scheduled again with a growing delay, or recorded as failed when retries run out.
 *
 * What disables an endpoint (SPEC invariant 2): a 410 at once, or `disableLimit` consecutive
 * batches that exhausted their retries. A failed attempt that will be retried counts for
 * nothing, so a receiver outage shorter than the retry schedule never disables an endpoint. A
 * permanent failure (private address, invalid URL, TLS name mismatch) fails the batch at once
 * and is not the receiver's failure either: it does not count.
 */
export async function deliverBatch(
  deps: DeliverDeps,
  target: Target,
  batch: BatchToSend,
  options: {
    pruneLog?: boolean;
    /**
     * The batch the drain sends next, cut while this one was in flight: on success its body is
     * stored (and its lock renewed) in the statement that records this one.
     */
    prepared?: () => Promise<PreparedBatch | undefined>;
  } = {},
): Promise<DeliveryOutcome> {
  const settings = deps.settings.current();
  const attempt = batch.attempts + 1;
  const { webhook, endpoint } = target;
  const result = await deps.sender.send(buildRequest(deps, target, batch, new Date()));
  const log = logFields(target, batch, attempt, result);
  observeDelivery(deps, webhook.appId, batch.mode, result);
  deps.stats?.record(webhook.id, result.ok, result.durationMs);
  const logMax = options.pruneLog === false ? null : settings.logMax;

  if (result.ok) {
    const delivered = {
      log: { ...log, status: 'success' as const, error: null },
      logMax,
      prepared: await options.prepared?.(),
    };
    await deps.recordDelivered(delivered);
    deps.logger.debug('delivered', {
      webhookId: webhook.id,
      endpointId: endpoint.id,
      deliveryId: batch.id,
      events: batch.eventCount,
      attempt,
    });
    // A test send carries sample payloads, not events: nothing for a reply to answer.
    if (webhook.replyEventType && result.replyJson !== undefined && batch.mode !== 'test') {
      // The delivery stands whatever becomes of its reply.
      await deps
        .onReply?.(target, batch, result.replyJson)
        .catch((err: unknown) =>
          deps.logger.error('reply not recorded', { webhookId: webhook.id, deliveryId: batch.id, err }),
        );
    }
    return { outcome: 'delivered', result };
  }

  const gone = result.statusCode === 410;
  const decision = result.permanent
    ? ({ retry: false } as const)
    : nextRetry(attempt, deps.retryPolicy, deps.random ?? Math.random, result.retryAfterMs);
  const retryInMs = decision.retry ? decision.delayMs : null;
  // Only a 410 or a batch out of retries speaks against the receiver.
  const countsAgainstReceiver = gone || (retryInMs === null && !result.permanent);
  const reason = gone
    ? 'receiver answered 410 Gone'
    : `${settings.disableLimit} consecutive batches failed after all retries (last: ${result.error})`;
  const streak = await deps.knex.transaction(async (trx) => {
    await insertDeliveryLog(trx, { ...log, status: 'failed', error: result.error }, logMax);
    await failBatchAttempt(trx, batch.id, attempt, result.error, retryInMs);
    if (!countsAgainstReceiver) return undefined;
    return recordEndpointFailure(trx, endpoint.id, {
      disableLimit: settings.disableLimit,
      disableNow: gone,
      reason,
    });
  });
  const fields = {
    webhookId: webhook.id,
    endpointId: endpoint.id,
    deliveryId: batch.id,
    attempt,
    statusCode: result.statusCode,
    error: result.error,
  };
  if (result.permanent) deps.logger.warn('delivery refused for good; not retried', fields);
  else if (retryInMs === null) deps.logger.warn('delivery failed; retries exhausted', fields);
  else deps.logger.warn('delivery failed', { ...fields, retryInMs });
  if (streak?.disabled) {
    deps.logger.warn('webhook.disabled', {
      webhookId: webhook.id,
      endpointId: endpoint.id,
      reason,
      consecutiveFailures: streak.consecutiveFailures,
    });
    await deps.onEndpointDisabled?.(target, reason);
    return { outcome: 'endpoint_disabled', result };
  }
  return retryInMs === null
    ? { outcome: 'failed', result }
    : { outcome: 'retry_scheduled', result, delayMs: retryInMs };
}
