import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { lockMsFor, templateReadsEvent, type Webhook } from '@hookline/core';
import {
  batchEvents,
  cutBatch,
  leaseWebhook,
  lockBatch,
  logDeliveryWarnings,
  oldestPendingBatch,
  pruneDeliveryLog,
  releaseLease,
  setBatchBody,
} from '@hookline/db';
import { deliverBatch, type BatchToSend } from './deliver-batch.js';
import type { EngineDeps } from './engine-deps.js';
import { renderBody, unresolvedWarning } from './render-body.js';

export interface DrainSummary {
  webhookId: string;
  /**
   * `busy`: another worker holds the webhook; `done`: nothing left to send (or, when not cutting,
   * no pending batch left); `blocked`: the head batch waits for its retry or is being sent.
   */
  result: 'busy' | 'done' | 'blocked' | 'time_limit' | 'stopped' | 'disabled';
  batches: number;
  delivered: number;
  failed: number;
}

export interface DrainOptions {
  /** Stop between batches when aborted (graceful shutdown). */
  signal?: AbortSignal;
  /** Called after each batch, for progress output. */
  onBatch?: (summary: DrainSummary) => void;
  /**
   * Cut new batches from the queue once no batch is pending (Default: true). The cron tick cuts;
   * a recovery drain (a retry fell due, a lock lapsed) sends only the pending batches, so
   * `WEBHOOK_CRON` alone decides when queued events become batches, as in Mautic.
   */
  cut?: boolean;
}

const LEASE_OWNER_PREFIX = `${hostname()}:${process.pid}`;

/**
 * Drains one webhook in batches of `batchLimit` until its queue is empty, a batch must wait for a
 * retry, or `timeLimitSeconds` pass. Holding the webhook's lease for the whole run is what keeps
 * at most one batch per webhook in flight across all workers, and so keeps its order.
 */
/**
 * How often a running drain renews its lease, re-reads the webhook (so an edit or a disable
 * applies) and re-checks for a pending batch at its head (an immediate-mode retry), in ms.
 * Between renewals it only cuts and sends batches: that is what the drain's speed is made of.
 */
const RENEW_EVERY_MS = 1000;

export async function drainWebhook(
  deps: EngineDeps,
  webhookId: string,
  options: DrainOptions = {},
): Promise<DrainSummary> {
  const summary: DrainSummary = { webhookId, result: 'done', batches: 0, delivered: 0, failed: 0 };
  const owner = `${LEASE_OWNER_PREFIX}:${randomUUID()}`;
  const leaseMs = () => lockMsFor(deps.settings.current());
  const cut = options.cut ?? true;
  let webhook = await leaseWebhook(deps.knex, webhookId, owner, leaseMs());
  if (!webhook) return { ...summary, result: 'busy' };
  let renewedAt = Date.now();
  let checkHead = true;
  const deadline = Date.now() + deps.settings.current().timeLimitSeconds * 1000;
  try {
    for (;;) {
      if (options.signal?.aborted) return { ...summary, result: 'stopped' };
      if (Date.now() >= deadline) return { ...summary, result: 'time_limit' };
      if (Date.now() - renewedAt >= RENEW_EVERY_MS) {
        // Renewal fails once the webhook is disabled or deleted: stop then.
        webhook = await leaseWebhook(deps.knex, webhookId, owner, leaseMs());
        if (!webhook) return { ...summary, result: 'disabled' };
        renewedAt = Date.now();
        checkHead = true;
      }

      const next = await nextBatch(deps, webhook, checkHead, cut);
      if (next === 'empty') return summary;
      if (next === 'blocked') return { ...summary, result: 'blocked' };
      // Pending batches go out back to back; after a freshly cut batch nothing of this drain's
      // own is pending, so the head is checked again only at the next renewal.
      checkHead = next.fromHead;

      // Pruning the delivery log every batch would cost a query per batch; every 32 is enough.
      const delivery = await deliverBatch(deps, webhook, next, { pruneLog: summary.batches % 32 === 31 });
      summary.batches++;
      if (delivery.outcome === 'delivered') summary.delivered += next.eventCount;
      else summary.failed += next.eventCount;
      options.onBatch?.({ ...summary });
      if (delivery.outcome === 'retry_scheduled') return { ...summary, result: 'blocked' };
      if (delivery.outcome === 'webhook_disabled') return { ...summary, result: 'disabled' };
      // A batch that failed for good: re-read the webhook (its failure streak changed) and the head.
      if (delivery.outcome === 'failed') renewedAt = 0;
    }
  } finally {
    if (summary.batches > 0) await pruneDeliveryLog(deps.knex, webhookId, deps.settings.current().logMax);
    await releaseLease(deps.knex, webhookId, owner);
  }
}

/**
 * The batch to send next: the oldest pending batch first (a retry keeps its place), else, when
 * `cut`, a new one cut from the queue in the webhook's order. `checkHead` false skips the pending
 * check: right after this drain delivered a batch it cut itself, nothing of its own is pending.
 */
async function nextBatch(
  deps: EngineDeps,
  webhook: Webhook,
  checkHead: boolean,
  cut: boolean,
): Promise<(BatchToSend & { fromHead: boolean }) | 'empty' | 'blocked'> {
  const settings = deps.settings.current();
  const lockMs = lockMsFor(settings);
  const pending = checkHead || !cut ? await oldestPendingBatch(deps.knex, webhook.id) : undefined;
  if (pending) {
    if (pending.locked || !pending.due) return 'blocked';
    const locked = await lockBatch(deps.knex, pending.id, lockMs);
    if (!locked) return 'blocked';
    // A worker died between cutting this batch and storing its body: render it now, once.
    if (locked.body === '') {
      const { body } = renderBody(webhook, await batchEvents(deps.knex, locked.id), deps);
      await setBatchBody(deps.knex, locked.id, body);
      return { ...locked, body, fromHead: true };
    }
    return { ...locked, fromHead: true };
  }
  if (!cut) return 'empty';
  // A template that reads `${event[...]}` describes one event, so its batches hold one.
  // So does a webhook whose replies become events: each reply answers one event.
  const limit = templateReadsEvent(webhook.bodyTemplate) || webhook.replyEventType ? 1 : settings.batchLimit;
  const made = await cutBatch(deps.knex, webhook.id, limit, webhook.order ?? settings.order, lockMs);
  if (!made) return 'empty';
  const { body, unresolved } = renderBody(webhook, made.events, deps);
  // Stored before the first send, so every retry sends these exact bytes.
  await setBatchBody(deps.knex, made.batchId, body);
  if (unresolved.length > 0) {
    await logDeliveryWarnings(deps.knex, [
      {
        webhookId: webhook.id,
        batchId: made.batchId,
        mode: 'queue',
        eventCount: made.events.length,
        message: unresolvedWarning(unresolved),
      },
    ]);
  }
  const hops = Math.max(...made.events.map((e) => e.hops));
  return {
    id: made.batchId,
    body,
    eventCount: made.events.length,
    attempts: 0,
    mode: 'queue',
    hops,
    fromHead: false,
  };
}
