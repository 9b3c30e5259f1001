/**
 * Why a use case refused: a code the API maps to its HTTP status in one place (api-error.ts), the
 * CLI to an exit code, and a message for people.
 */
export interface Refusal {
  code:
    | 'not_found'
    | 'forbidden'
    | 'conflict'
    | 'invalid_body'
    | 'invalid_url'
    | 'unknown_event_type'
    | 'event_type_archived'
    | 'invalid_payload'
    | 'payload_too_complex'
    | 'rate_limited';
  message: string;
  details?: unknown;
}

/** What a use case returns: its value, or why it refused. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

/** Thrown inside a use case by its checks, and turned into an Outcome at its edge (`outcome`). */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

export function refuse(code: Refusal['code'], message: string, details?: unknown): never {
  throw new Refused({ code, message, ...(details === undefined ? {} : { details }) });
}

/** Refuses with another use case's refusal (one use case built on another). */
const refuseWith = (refusal: Refusal): never => refuse(refusal.code, refusal.message, refusal.details);

/** The value of another use case's outcome, or its refusal, inside a use case's work. */
export const valueOf = <T>(result: Outcome<T>): T => (result.ok ? result.value : refuseWith(result.refusal));

/** Runs a use case's work: its checks refuse with `refuse`, anything else thrown is a fault. */
export async function outcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, refusal: err.refusal };
    throw err;
  }
}
