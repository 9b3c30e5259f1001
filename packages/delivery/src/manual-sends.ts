import { randomUUID } from 'node:crypto';
import { lockMsFor, type Target } from '@hookline/core';
import {
  insertDeliveryLog,
  insertTestBatch,
  lockBatchForResend,
  settleResentBatch,
  type Batch,
} from '@hookline/db';
import { buildRequest } from './build-request.js';
import type { EngineDeps } from './engine-deps.js';
import type { SendResult } from './send-request.js';
import { observeDelivery } from './observe-delivery.js';

/** What a test send or a redelivery uses: the database, the sender, and what a request is built from. */
type ManualSendDeps = Pick<
  EngineDeps,
  'knex' | 'sender' | 'settings' | 'metrics' | 'publicUrl' | 'userAgent'
>;

export interface SentOnce {
  result: SendResult;
  deliveryId: string;
  logId: string;
}

/**
 * One attempt, logged, with no retry and no effect on the failure streak: the test button. The
 * test batch is stored only once its outcome is known, settled, so no worker ever sees it pending
 * and sends it again.
 */
export async function sendTest(
  deps: ManualSendDeps,
  target: Target,
  input: { body: string; eventCount: number },
): Promise<SentOnce> {
  const deliveryId = randomUUID();
  const result = await deps.sender.send(
    buildRequest(deps, target, { id: deliveryId, body: input.body, hops: 0 }, new Date()),
  );
  observeDelivery(deps, target.webhook.appId, 'test', result);
  const logId = await deps.knex.transaction(async (trx) => {
    await insertTestBatch(trx, {
      ...input,
      id: deliveryId,
      endpointId: target.endpoint.id,
      delivered: result.ok,
    });
    return insertDeliveryLog(trx, logRow(target, deliveryId, 'test', input.eventCount, result), null);
  });
  return { result, deliveryId, logId };
}

/**
 * A manual redelivery of a stored batch: same body, same delivery id, one attempt under the
 * batch's lock (undefined when another process is sending it now). Success delivers the batch,
 * whatever its status; a failure changes neither its status nor its retry schedule, nor the
 * endpoint's failure streak.
 */
export async function redeliverBatch(
  deps: ManualSendDeps,
  target: Target,
  batchId: string,
): Promise<SentOnce | undefined> {
  const batch: Batch | undefined = await lockBatchForResend(
    deps.knex,
    batchId,
    lockMsFor(deps.settings.current()),
  );
  if (!batch) return undefined;
  let result: SendResult | undefined;
  try {
    result = await deps.sender.send(buildRequest(deps, target, batch, new Date()));
  } finally {
    // Released even if sending threw, so the batch is not blocked until the lock lapses.
    if (!result) await settleResentBatch(deps.knex, batchId, false);
  }
  observeDelivery(deps, target.webhook.appId, 'redeliver', result);
  const delivered = result.ok;
  const logId = await deps.knex.transaction(async (trx) => {
    await settleResentBatch(trx, batchId, delivered);
    return insertDeliveryLog(
      trx,
      logRow(target, batchId, 'redeliver', batch.eventCount, result),
      deps.settings.current().logMax,
    );
  });
  return { result, deliveryId: batchId, logId };
}

function logRow(
  target: Target,
  batchId: string,
  mode: 'test' | 'redeliver',
  eventCount: number,
  result: SendResult,
) {
  return {
    endpointId: target.endpoint.id,
    batchId,
    mode,
    status: result.ok ? ('success' as const) : ('failed' as const),
    statusCode: result.statusCode,
    durationMs: result.durationMs,
    attempt: 1,
    eventCount,
    error: result.ok ? null : result.error,
    responseSnippet: result.responseSnippet,
  };
}
