import { checkEvents, type CatalogueSource, type JsonLimits, type PayloadValidators } from '@hookline/core';
import type { NewEvent } from '@hookline/db';
import type { AcceptOutcome, EventSink } from '@hookline/delivery';
import type { Caller } from './caller.js';
import { outcome, refuse, type Outcome } from './outcome.js';

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

/** What accepting a producer's events uses. */
export interface EventIntake {
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
  events: readonly PostedEvent[],
  hops: number,
): Promise<Outcome<AcceptOutcome>> {
  return outcome(async () => {
    if (caller.role === 'viewer') refuse('forbidden', 'This needs the producer or admin role.');
    const check = checkEvents(events, {
      catalogue: deps.catalogue.current(),
      validators: deps.validators,
      limits: deps.limits,
      scope: caller.eventTypes,
    });
    if (!check.ok) return refuse(check.problem.code, check.problem.message, check.problem.details);
    const now = new Date();
    const accepted: NewEvent[] = events.map((e, i) => ({
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
