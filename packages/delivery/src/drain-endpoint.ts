import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { lockMsFor, templateReadsEvent, type Target } from '@hookline/core';
import {
  batchEvents,
  cutBatch,
  leaseEndpoint,
  lockBatch,
  logDeliveryWarnings,
  oldestPendingBatch,
  pruneDeliveryLog,
  releaseBatch,
  releaseLease,
  setBatchBody,
} from '@hookline/db';
import { deliverBatch, type BatchToSend, type DeliverDeps } from './deliver-batch.js';
import type { EngineDeps } from './engine-deps.js';
import { renderBody, unresolvedWarning, type RenderContext } from './render-body.js';

/** What draining an endpoint uses: delivering its batches, and rendering the ones it cuts. */
type DrainDeps = DeliverDeps & RenderContext;

export interface DrainSummary {
  endpointId: string;
  /**
   * `busy`: another worker holds the endpoint; `done`: nothing left to send (or, when not cutting,
   * no pending batch left); `blocked`: the head batch waits for its retry or is being sent;
   * `yielded`: its quantum was spent with work possibly left, and others wait (it rejoins the line).
   */
  result: 'busy' | 'done' | 'blocked' | 'time_limit' | 'yielded' | 'stopped' | 'disabled';
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
  /**
   * Give the slot to the next endpoint in line after a quantum of work (the worker's turns;
   * Default: none, drain until empty or `timeLimitSeconds`, as the CLI does).
   */
  quantum?: Quantum;
}

/**
 * A turn's share of work: `batches` batches or `ms` of sending, whichever comes first, checked
 * between batches (so a hanging receiver holds a slot for one send). At its end the turn asks
 * `othersWaiting`: when nobody waits for a slot it carries on with a fresh quantum.
 */
interface Quantum {
  ms: number;
  batches: number;
  othersWaiting: () => Promise<boolean>;
}

const LEASE_OWNER_PREFIX = `${hostname()}:${process.pid}`;

/**
 * How often a running drain renews its lease, re-reads the webhook and endpoint (so an edit or a disable
 * applies) and re-checks for a pending batch at its head (an immediate-mode retry), in ms.
 * Between renewals it only cuts and sends batches: that is what the drain's speed is made of.
 */
const RENEW_EVERY_MS = 1000;

/**
 * A batch cut ahead while its predecessor is in flight, its body rendered but not yet stored.
 * `error` means the cut failed: the drain falls back to cutting (and checking the head) itself.
 */
type Ahead = BatchToSend | 'empty' | 'error';

/**
 * Drains one endpoint in batches of `batchLimit` until its queue is empty, a batch must wait for
 * a retry, `timeLimitSeconds` pass or its quantum is spent. Holding the endpoint's lease for the
 * whole run is what keeps at most one batch per endpoint in flight across all workers, and so
 * keeps its order.
 */
export async function drainEndpoint(
  deps: DrainDeps,
  endpointId: string,
  options: DrainOptions = {},
): Promise<DrainSummary> {
  const summary: DrainSummary = { endpointId, result: 'done', batches: 0, delivered: 0, failed: 0 };
  const owner = `${LEASE_OWNER_PREFIX}:${randomUUID()}`;
  const leaseMs = () => lockMsFor(deps.settings.current());
  const cut = options.cut ?? true;
  let target = await leaseEndpoint(deps.knex, endpointId, owner, leaseMs());
  if (!target) return { ...summary, result: 'busy' };
  let renewedAt = Date.now();
  let checkHead = true;
  const deadline = Date.now() + deps.settings.current().timeLimitSeconds * 1000;
  const quantum = options.quantum;
  let quantumEnd = quantum ? Date.now() + quantum.ms : Infinity;
  let quantumBatches = quantum ? quantum.batches : Infinity;
  // Batch N+1 is cut and rendered while batch N is in flight (one batch per endpoint is still sent
  // at a time); its body is stored in the statement that records N. When N is not delivered, or
  // the drain stops or must look at the head again, N+1 is handed back (releaseAhead) unsent.
  let ahead: Promise<Ahead> | undefined;
  const releaseAhead = async () => {
    const batch = await ahead;
    ahead = undefined;
    if (typeof batch === 'object') await releaseBatch(deps.knex, batch.id, batch.body);
  };
  try {
    for (;;) {
      if (options.signal?.aborted) return { ...summary, result: 'stopped' };
      if (Date.now() >= deadline) return { ...summary, result: 'time_limit' };
      if (quantum && (Date.now() >= quantumEnd || summary.batches >= quantumBatches)) {
        if (await quantum.othersWaiting()) {
          summary.result = 'yielded'; // read by the finally block
          return { ...summary };
        }
        quantumEnd = Date.now() + quantum.ms;
        quantumBatches = summary.batches + quantum.batches;
      }
      if (Date.now() - renewedAt >= RENEW_EVERY_MS) {
        // Renewal fails once the endpoint is disabled or deleted: stop then.
        target = await leaseEndpoint(deps.knex, endpointId, owner, leaseMs());
        if (!target) return { ...summary, result: 'disabled' };
        renewedAt = Date.now();
        checkHead = true;
      }

      let next: Awaited<ReturnType<typeof nextBatch>>;
      const cutAhead: Ahead | undefined = checkHead ? undefined : await ahead;
      if (typeof cutAhead === 'object') next = { ...cutAhead, fromHead: false };
      else if (cutAhead === 'empty') next = 'empty';
      else {
        await releaseAhead();
        next = await nextBatch(deps, target, checkHead || cutAhead === 'error', cut);
      }
      ahead = undefined;
      if (next === 'empty') return summary;
      if (next === 'blocked') return { ...summary, result: 'blocked' };
      // Pending batches go out back to back; after a freshly cut batch nothing of this drain's
      // own is pending, so the head is checked again only at the next renewal.
      checkHead = next.fromHead;
      // The quantum's last batch cuts nothing ahead: a turn that yields would hand it back unsent.
      const last = summary.batches + 1 >= quantumBatches;
      if (cut && !checkHead && !last) {
        ahead = cutNext(deps, target).catch((err: unknown) => errorCutting(deps, err));
      }
      const pending = ahead;
      const lockMs = leaseMs();

      // Pruning the delivery log every batch would cost a query per batch; one in 32 is enough.
      // Drawn, not counted: a turn often sends fewer than 32 batches, and the count starts anew.
      const delivery = await deliverBatch(deps, target, next, {
        pruneLog: (deps.random ?? Math.random)() < 1 / 32,
        prepared: async () => {
          const batch = await pending;
          return typeof batch === 'object' ? { batchId: batch.id, body: batch.body, lockMs } : undefined;
        },
      });
      summary.batches++;
      if (delivery.outcome === 'delivered') summary.delivered += next.eventCount;
      else {
        summary.failed += next.eventCount;
        await releaseAhead();
      }
      options.onBatch?.({ ...summary });
      if (delivery.outcome === 'retry_scheduled') return { ...summary, result: 'blocked' };
      if (delivery.outcome === 'endpoint_disabled') return { ...summary, result: 'disabled' };
      // A batch that failed for good: re-read the endpoint (its failure streak changed) and the head.
      if (delivery.outcome === 'failed') renewedAt = 0;
    }
  } finally {
    // Best effort: a batch not handed back is sent by the next drain once its lock lapses.
    await releaseAhead().catch((err: unknown) =>
      deps.logger.warn('batch cut ahead not released', { endpointId, err }),
    );
    // A turn that yields comes back soon; the log is pruned when the drain is over.
    if (summary.batches > 0 && summary.result !== 'yielded') {
      await pruneDeliveryLog(deps.knex, endpointId, deps.settings.current().logMax);
    }
    await releaseLease(deps.knex, endpointId, owner);
  }
}

function errorCutting(deps: Pick<EngineDeps, 'logger'>, err: unknown): 'error' {
  deps.logger.warn('cutting the next batch ahead failed; cutting it again after this one', { err });
  return 'error';
}

/**
 * The batch to send next: the oldest pending batch first (a retry keeps its place), else, when
 * `cut`, a new one cut from the queue in the endpoint's order. `checkHead` false skips the pending
 * check: right after this drain delivered a batch it cut itself, nothing of its own is pending.
 */
async function nextBatch(
  deps: DrainDeps,
  target: Target,
  checkHead: boolean,
  cut: boolean,
): Promise<(BatchToSend & { fromHead: boolean }) | 'empty' | 'blocked'> {
  const settings = deps.settings.current();
  const lockMs = lockMsFor(settings);
  const pending = checkHead || !cut ? await oldestPendingBatch(deps.knex, target.endpoint.id) : undefined;
  if (pending) {
    if (pending.locked || !pending.due) return 'blocked';
    const locked = await lockBatch(deps.knex, pending.id, lockMs);
    if (!locked) return 'blocked';
    // A worker died between cutting this batch and storing its body: render it now, once.
    if (locked.body === '') {
      const { body } = renderBody(target, await batchEvents(deps.knex, locked.id), deps);
      await setBatchBody(deps.knex, locked.id, body);
      return { ...locked, body, fromHead: true };
    }
    return { ...locked, fromHead: true };
  }
  if (!cut) return 'empty';
  const made = await cutNext(deps, target);
  if (made === 'empty') return made;
  // Stored before the first send, so every retry sends these exact bytes.
  await setBatchBody(deps.knex, made.id, made.body);
  return { ...made, fromHead: false };
}

/**
 * Cuts a new batch from the endpoint's queue, in its webhook's order, and renders its body; the caller
 * stores the body before the first send.
 */
async function cutNext(deps: DrainDeps, target: Target): Promise<BatchToSend | 'empty'> {
  const { webhook, endpoint } = target;
  const settings = deps.settings.current();
  // A template that reads `${event[...]}` describes one event, so its batches hold one.
  // So does a webhook whose replies become events: each reply answers one event.
  const limit = templateReadsEvent(webhook.bodyTemplate) || webhook.replyEventType ? 1 : settings.batchLimit;
  const made = await cutBatch(
    deps.knex,
    endpoint.id,
    limit,
    webhook.order ?? settings.order,
    lockMsFor(settings),
  );
  if (!made) return 'empty';
  const { body, unresolved } = renderBody(target, made.events, deps);
  if (unresolved.length > 0) {
    await logDeliveryWarnings(deps.knex, [
      {
        endpointId: endpoint.id,
        batchId: made.batchId,
        mode: 'queue',
        eventCount: made.events.length,
        message: unresolvedWarning(unresolved),
      },
    ]);
  }
  const hops = Math.max(...made.events.map((e) => e.hops));
  return { id: made.batchId, body, eventCount: made.events.length, attempts: 0, mode: 'queue', hops };
}
