import { z } from 'zod';
import {
  arrayItems,
  compactJson,
  DEFAULT_JSON_LIMITS,
  HOPS_HEADER,
  jsonTooComplex,
  memberValue,
  objectMembers,
  type EventCatalogue,
  type PayloadValidators,
} from '@hookline/core';
import type { NewEvent } from '@hookline/db';
import { ApiError } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { perKeyRateLimit } from '../rate-limit.js';
import { eventsAcceptedSchema } from '../response-schemas.js';
import { route, type Route } from '../route.js';
import { eventBatchSchema, eventInputSchema, MAX_HOPS } from '../schemas.js';
import { validate } from '../validate.js';

/**
 * The payloads' raw texts, in request order: stored as sent so receivers get the producer's key
 * order (JSON.parse would move integer-like keys first).
 */
function rawPayloads(raw: string, batch: boolean): string[] {
  const top = objectMembers(raw);
  if (!batch) return [compactJson(memberValue(raw, top, 'payload')!)];
  const events = top.findLast((m) => m.key === 'events')!;
  return arrayItems(raw, events.value.start).map((item) => {
    const members = objectMembers(raw, item.start);
    return compactJson(memberValue(raw, members, 'payload')!);
  });
}

/** Hops already made by a request coming from a (possibly chained) Hookline delivery. */
function incomingHops(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return 0;
  if (!/^\d{1,4}$/.test(value.trim()))
    throw new ApiError('invalid_body', `${HOPS_HEADER} must be a whole number.`);
  const hops = Number(value);
  if (hops > MAX_HOPS) {
    throw new ApiError(
      'hop_limit_exceeded',
      `This event has passed through ${hops} Hookline deliveries (limit ${MAX_HOPS}); refusing it to break a webhook loop.`,
    );
  }
  return hops;
}

/** Errors listed in a 4xx reply's details, at most. */
const MAX_DETAILS = 20;

/**
 * Each event's Hookline type name, once every event names an active type and passes its type's
 * payload schema; otherwise the first kind of problem is refused with all its instances.
 */
function checkTypes(
  catalogue: EventCatalogue,
  inputs: readonly { type: string; payload: unknown }[],
  validators: PayloadValidators,
): string[] {
  const found = inputs.map((e) => catalogue.find(e.type));
  const unknown = inputs.flatMap((e, index) => (found[index] ? [] : [{ index, type: e.type }]));
  if (unknown.length > 0) {
    throw new ApiError(
      'unknown_event_type',
      `Unknown event type "${unknown[0]!.type}"; GET /v1/event-types lists the known ones.`,
      unknown.slice(0, MAX_DETAILS),
    );
  }
  const archived = inputs.flatMap((e, index) => (found[index]!.archived ? [{ index, type: e.type }] : []));
  if (archived.length > 0) {
    throw new ApiError(
      'event_type_archived',
      `Event type "${archived[0]!.type}" is archived: it takes no new events.`,
      archived.slice(0, MAX_DETAILS),
    );
  }
  const invalid = inputs.flatMap((e, index) =>
    validators.check(found[index]!, e.payload).map((p) => ({ index, ...p })),
  );
  if (invalid.length > 0) {
    const first = invalid[0]!;
    throw new ApiError(
      'invalid_payload',
      `Event ${first.index} (${inputs[first.index]!.type}): payload${first.path} ${first.message}.`,
      invalid.slice(0, MAX_DETAILS),
    );
  }
  return found.map((t) => t!.name);
}

export function eventRoutes(deps: ApiDeps): Route[] {
  const { catalogue } = deps.engine;
  const validators = deps.engine.payloadValidators;

  return [
    route({
      method: 'post',
      path: '/v1/events',
      summary: 'Accept one event or a batch (202 only once durable in Postgres)',
      roles: ['producer'],
      body: z.union([eventInputSchema, eventBatchSchema]),
      // Validated below, one event or a batch, beside the raw text the payloads are cut from.
      bodyParsedByHandler: true,
      status: 202,
      response: eventsAcceptedSchema,
      errors: [400, 403, 413, 415, 422, 429, 503],
      before: [perKeyRateLimit(deps.rateLimitPerSecond ?? 0)],
      handler: async (req, res) => {
        const hops = incomingHops(req.headers[HOPS_HEADER]);
        const body: unknown = req.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw new ApiError('invalid_body', 'Send one event object or {"events":[...]}.');
        }
        const batch = Object.hasOwn(body, 'events');
        const inputs = batch ? validate(eventBatchSchema, body).events : [validate(eventInputSchema, body)];

        const limits = deps.payloadLimits ?? DEFAULT_JSON_LIMITS;
        const complex = inputs.flatMap((e, index) => {
          const problem = jsonTooComplex(e.payload, limits);
          return problem ? [{ index, message: `payload ${problem}` }] : [];
        });
        if (complex.length > 0) {
          throw new ApiError(
            'payload_too_complex',
            `Event ${complex[0]!.index}: the ${complex[0]!.message} (HOOKLINE_MAX_DEPTH=${limits.maxDepth}, HOOKLINE_MAX_KEYS=${limits.maxKeys}); receivers could not parse it.`,
            complex.slice(0, MAX_DETAILS),
          );
        }

        const types = checkTypes(catalogue.current(), inputs, validators);
        const scope = res.locals.principal?.eventTypes;
        const outside = scope
          ? types.flatMap((type, index) => (scope.includes(type) ? [] : [{ index, type }]))
          : [];
        if (outside.length > 0) {
          throw new ApiError(
            'forbidden',
            `This key may post only ${scope!.join(', ')}; not "${outside[0]!.type}".`,
            outside.slice(0, MAX_DETAILS),
          );
        }

        const payloads = rawPayloads(res.locals.rawBody!, batch);
        const now = new Date();
        const events: NewEvent[] = inputs.map((e, i) => ({
          type: types[i]!,
          payload: payloads[i]!,
          occurredAt: e.timestamp ? new Date(e.timestamp) : now,
          idempotencyKey: e.id ?? null,
          hops,
          parsed: e.payload,
        }));
        const outcome = await deps.events.accept(events);
        res.status(202).json({ accepted: outcome.events.length, events: outcome.events });
        deps.engine.metrics?.eventsIngested.inc(outcome.events.filter((e) => !e.duplicate).length);
        deps.immediate.dispatch(outcome.immediate);
      },
    }),
  ];
}
