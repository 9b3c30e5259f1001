import { lockMsFor, webhookTakes, type EventView, type Target } from '@hookline/core';
import {
  forceSynchronousCommit,
  subscribedEndpoints,
  insertBatches,
  insertEvents,
  insertQueueRows,
  logDeliveryWarnings,
  type NewEvent,
} from '@hookline/db';
import type { EngineDeps } from './engine-deps.js';
import { renderBody, unresolvedWarning } from './render-body.js';

interface AcceptedEvent {
  id: string;
  type: string;
  duplicate: boolean;
}

/** A batch made for immediate delivery, already locked for this process to send. */
export interface ImmediateBatch {
  /** Index, in the accepted list, of the event this batch carries. */
  eventIndex: number;
  batchId: string;
  target: Target;
  body: string;
  hops: number;
}

export interface AcceptOutcome {
  events: AcceptedEvent[];
  immediate: ImmediateBatch[];
}

interface Fresh {
  event: NewEvent;
  id: string;
  /** Its index in the accepted list. */
  index: number;
}

interface Pair extends Fresh {
  target: Target;
}

function view(event: NewEvent, id: string): EventView {
  return {
    id,
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    payload: event.parsed ?? (JSON.parse(event.payload) as unknown),
  };
}

/**
 * Records events durably and fans them out, all in one transaction: the event rows, one queue row
 * per endpoint of each matching webhook (subscribed to the type, and whose filter the event
 * passes) and, in immediate mode, a one-event batch per pair instead for enabled endpoints. A
 * disabled endpoint's events are queued for it all the same (its backlog), to be delivered in
 * order once it is enabled again, or dropped then if the admin asks. When this resolves the events are committed, so
 * the caller may answer 202. In immediate mode the caller then sends the returned batches; if
 * that fails or the process dies, they stay pending and the worker retries them once their lock
 * lapses: never lost.
 */
/** What accepting events uses: the database, the settings, and what rendering an immediate body reads. */
type AcceptDeps = Pick<
  EngineDeps,
  'knex' | 'settings' | 'asyncCommit' | 'catalogue' | 'publicUrl' | 'fqdn' | 'targets'
>;

export async function acceptEvents(deps: AcceptDeps, events: readonly NewEvent[]): Promise<AcceptOutcome> {
  const settings = deps.settings.current();
  return deps.knex.transaction(async (trx) => {
    // Accepted events are durable before anyone hears 202, whatever the pool's default.
    if (deps.asyncCommit) await forceSynchronousCommit(trx);
    const stored = await insertEvents(trx, events);
    // Plain loops and fixed-shape objects: a batch of 1,000 events makes several thousand of
    // these per request, and spreads and nested array helpers showed in ingest's profile.
    const accepted: AcceptedEvent[] = [];
    const fresh: Fresh[] = [];
    for (let i = 0; i < events.length; i++) {
      const { id, duplicate } = stored[i]!;
      accepted.push({ id, type: events[i]!.type, duplicate });
      if (!duplicate) fresh.push({ event: events[i]!, id, index: i });
    }
    if (fresh.length === 0) return { events: accepted, immediate: [] };

    const typesByApp = new Map<string, string[]>();
    for (const f of fresh) {
      const types = typesByApp.get(f.event.appId);
      if (!types) typesByApp.set(f.event.appId, [f.event.type]);
      else if (!types.includes(f.event.type)) types.push(f.event.type);
    }
    // Each event meets only its own application's webhooks.
    const targetsByApp = await subscribedEndpoints(trx, typesByApp, deps.targets);
    const pairs: Pair[] = [];
    for (const f of fresh) {
      for (const target of targetsByApp.get(f.event.appId)?.get(f.event.type) ?? []) {
        const { webhook } = target;
        if ((webhook.filter || webhook.trigger) && !webhookTakes(view(f.event, f.id), webhook)) continue;
        pairs.push({ event: f.event, id: f.id, index: f.index, target });
      }
    }
    if (pairs.length === 0) return { events: accepted, immediate: [] };

    const queued = settings.queueMode === 'queue' ? pairs : pairs.filter((p) => !p.target.endpoint.enabled);
    await insertQueueRows(
      trx,
      queued.map((p) => ({ endpointId: p.target.endpoint.id, eventId: p.id })),
    );
    const sendNow = settings.queueMode === 'queue' ? [] : pairs.filter((p) => p.target.endpoint.enabled);
    if (sendNow.length === 0) return { events: accepted, immediate: [] };

    const rendered = sendNow.map((p) => renderBody(p.target, [{ ...p.event, eventId: p.id }], deps));
    const batches = sendNow.map((p, i) => ({
      endpointId: p.target.endpoint.id,
      mode: 'immediate' as const,
      body: rendered[i]!.body,
      eventIds: [p.id],
      eventCount: 1,
      hops: p.event.hops ?? 0,
      lockMs: lockMsFor(settings),
    }));
    // Immediate batches own their one event straight away: no queue row to write.
    const batchIds = await insertBatches(trx, batches);
    await logDeliveryWarnings(
      trx,
      sendNow.flatMap((p, i) =>
        rendered[i]!.unresolved.length === 0
          ? []
          : [
              {
                endpointId: p.target.endpoint.id,
                batchId: batchIds[i]!,
                mode: 'immediate' as const,
                eventCount: 1,
                message: unresolvedWarning(rendered[i]!.unresolved),
              },
            ],
      ),
    );
    return {
      events: accepted,
      immediate: sendNow.map((p, i) => ({
        eventIndex: p.index,
        batchId: batchIds[i]!,
        target: p.target,
        body: batches[i]!.body,
        hops: batches[i]!.hops,
      })),
    };
  });
}
