import type { EventCatalogue } from './event-types.js';
import { jsonTooComplex, type JsonLimits } from './json-complexity.js';
import type { PayloadValidators } from './payload-schema.js';

/** Why events were refused; `code` is the API's error code, `details` one entry per instance. */
interface EventProblem {
  code:
    'payload_too_complex' | 'unknown_event_type' | 'event_type_archived' | 'invalid_payload' | 'forbidden';
  message: string;
  details: Record<string, unknown>[];
}

export type EventCheck = { ok: true; types: string[] } | { ok: false; problem: EventProblem };

export interface EventCheckContext {
  catalogue: EventCatalogue;
  validators: PayloadValidators;
  limits: JsonLimits;
  /** The event types the caller may post; undefined or null for any. */
  scope?: readonly string[] | null;
  /** How a message names the event at `index` (Default: `Event <index>`). */
  label?: (index: number) => string;
}

/** Instances listed in a problem's details, at most. */
const MAX_DETAILS = 20;

/**
 * The checks every event passes before it is recorded, whoever sends it (a producer's POST or a
 * receiver's reply): payload complexity, an active type, the type's payload schema, and the
 * caller's event-type scope, in that order. The first kind of problem is reported with all its
 * instances; when none, each event's Hookline type name (the input may use a Mautic name).
 */
export function checkEvents(
  inputs: readonly { type: string; payload: unknown }[],
  context: EventCheckContext,
): EventCheck {
  const label = context.label ?? ((index: number) => `Event ${index}`);
  const refuse = (code: EventProblem['code'], message: string, details: Record<string, unknown>[]) => ({
    ok: false as const,
    problem: { code, message, details: details.slice(0, MAX_DETAILS) },
  });
  const { limits } = context;

  const complex = inputs.flatMap((e, index) => {
    const problem = jsonTooComplex(e.payload, limits);
    return problem ? [{ index, message: `payload ${problem}` }] : [];
  });
  if (complex.length > 0) {
    return refuse(
      'payload_too_complex',
      `${label(complex[0]!.index)}: the ${complex[0]!.message} (HOOKLINE_MAX_DEPTH=${limits.maxDepth}, HOOKLINE_MAX_KEYS=${limits.maxKeys}); receivers could not parse it.`,
      complex,
    );
  }

  const found = inputs.map((e) => context.catalogue.find(e.type));
  const unknown = inputs.flatMap((e, index) => (found[index] ? [] : [{ index, type: e.type }]));
  if (unknown.length > 0) {
    return refuse(
      'unknown_event_type',
      `Unknown event type "${unknown[0]!.type}"; GET /v1/event-types lists the known ones.`,
      unknown,
    );
  }
  const archived = inputs.flatMap((e, index) => (found[index]!.archived ? [{ index, type: e.type }] : []));
  if (archived.length > 0) {
    return refuse(
      'event_type_archived',
      `Event type "${archived[0]!.type}" is archived: it takes no new events.`,
      archived,
    );
  }

  const invalid = inputs.flatMap((e, index) =>
    context.validators.check(found[index]!, e.payload).map((p) => ({ index, ...p })),
  );
  if (invalid.length > 0) {
    const first = invalid[0]!;
    return refuse(
      'invalid_payload',
      `${label(first.index)} (${inputs[first.index]!.type}): payload${first.path} ${first.message}.`,
      invalid,
    );
  }

  const types = found.map((t) => t!.name);
  const { scope } = context;
  const outside = scope
    ? types.flatMap((type, index) => (scope.includes(type) ? [] : [{ index, type }]))
    : [];
  if (outside.length > 0) {
    return refuse(
      'forbidden',
      `This key may post only ${scope!.join(', ')}; not "${outside[0]!.type}".`,
      outside,
    );
  }
  return { ok: true, types };
}
