import { z } from 'zod';
import { arrayItems, compactJson, HOPS_HEADER, memberValue, objectMembers } from '@hookline/core';
import { postEvents } from '@hookline/use-cases';
import { ApiError, unwrap } from '../api-error.js';
import { callerOf } from '../auth.js';
import type { ApiDeps } from '../api-deps.js';
import { perKeyRateLimit } from '../rate-limit.js';
import { eventsAcceptedSchema } from '../response-schemas.js';
import { appOf, route, type Route } from '../route.js';
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

export function eventRoutes(deps: ApiDeps): Route[] {
  const intake = {
    knex: deps.knex,
    apps: deps.apps,
    rateLimiter: deps.rateLimiter,
    catalogue: deps.engine.catalogue,
    validators: deps.engine.payloadValidators,
    limits: deps.engine.payloadLimits,
    sink: deps.events,
  };

  return [
    route({
      method: 'post',
      path: '/v1/events',
      summary: 'Accept one event or a batch (202 only once durable in Postgres)',
      access: { app: 'post' },
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

        const payloads = rawPayloads(res.locals.rawBody!, batch);
        const posted = inputs.map((e, i) => ({ ...e, rawPayload: payloads[i]! }));
        const outcome = unwrap(await postEvents(intake, callerOf(res), appOf(req), posted, hops));
        res.status(202).json({ accepted: outcome.events.length, events: outcome.events });
        const fresh = outcome.events.filter((e) => !e.duplicate).length;
        deps.engine.metrics?.eventsIngested.inc(fresh);
        // An application the caller reached (an unknown id was refused): a bounded label.
        deps.engine.metrics?.appEventsIngested.inc({ app: appOf(req) }, fresh);
        deps.immediate.dispatch(outcome.immediate);
      },
    }),
  ];
}
