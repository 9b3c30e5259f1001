import { checkEvents, type CatalogueSource, type JsonLimits, type PayloadValidators } from '@hookline/core';
import type { NewEvent } from '@hookline/db';
import type { AcceptOutcome, EventSink } from '@hookline/delivery';
import { scopeOf, type Caller } from './caller.js';
import { outcome, refuse, type Outcome } from './outcome.js';
import { foundApp, type TenantReads } from './tenancy.js';

/** One event as a producer posted it: its parsed payload, and the payload's raw text to store. */
export interface PostedEvent {
  type: string;
  payload: unknown;
  /** The payload exactly as sent (its key order is delivered as is). */
  rawPayload: string;
  /** Idempotency key. */
  id?: string;
  /** ISO 8601; the time of acceptance when absent. */
  timestamp?: string;
}

/**
 * An application's `rateLimit`, shared by every ingest process (Redis holds the count).
 * Resolves to the seconds to wait when taking `count` events would pass the limit (and then
 * takes nothing), or null when they were taken.
 */
export interface RateLimiter {
  take(appId: string, perSecond: number, count: number): Promise<{ retryAfterSeconds: number } | null>;
}

/** What accepting a producer's events uses. */
export interface EventIntake extends TenantReads {
  /** Applications with a `rateLimit` are held to it (Default: no limit is enforced). */
  rateLimiter?: RateLimiter;
  catalogue: CatalogueSource;
  validators: PayloadValidators;
  limits: JsonLimits;
  /** Where accepted events go (group commit in the apps): resolves once they are durable. */
  sink: EventSink;
}

/**
 * A producer's events: each passes the checks every event passes (checkEvents: payload limits,
 * an active type, its schema, the caller's event-type scope), then all are recorded durably, in
 * one commit with their fan-out, or none is. `hops`: deliveries that led to them (a chained
 * Hookline), carried on so a loop stops.
 */
export function postEvents(
  deps: EventIntake,
  caller: Caller,
  appId: string,
  events: readonly PostedEvent[],
  hops: number,
): Promise<Outcome<AcceptOutcome>> {
  return outcome(async () => {
    const app = await foundApp(deps, caller, appId, 'post');
    const check = checkEvents(events, {
      catalogue: deps.catalogue.current(),
      validators: deps.validators,
      limits: deps.limits,
      scope: scopeOf(caller),
    });
    if (!check.ok) return refuse(check.problem.code, check.problem.message, check.problem.details);
    if (app.rateLimit !== null && deps.rateLimiter) {
      if (events.length > app.rateLimit) {
        refuse(
          'rate_limited',
          `A request of ${events.length} events is more than application ${app.id} takes in a second (${app.rateLimit}); send smaller batches.`,
          { retryAfterSeconds: 1 },
        );
      }
      const over = await deps.rateLimiter.take(app.id, app.rateLimit, events.length);
      if (over) {
        refuse(
          'rate_limited',
          `Application ${app.id} takes at most ${app.rateLimit} events per second; retry in ${over.retryAfterSeconds} s.`,
          over,
        );
      }
    }
    const now = new Date();
    const accepted: NewEvent[] = events.map((e, i) => ({
      appId: app.id,
      type: check.types[i]!,
      payload: e.rawPayload,
      occurredAt: e.timestamp ? new Date(e.timestamp) : now,
      idempotencyKey: e.id ?? null,
      hops,
      parsed: e.payload,
    }));
    return deps.sink.accept(accepted);
  });
}
