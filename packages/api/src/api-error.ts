import type { Outcome } from '@hookline/use-cases';
/** Every error the API answers with, and its status: the one place codes map to HTTP. */
export const ERROR_STATUS = {
  malformed_json: 400,
  invalid_body: 400,
  invalid_query: 400,
  payload_too_complex: 400,
  unauthorized: 401,
  token_expired: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unknown_event_type: 422,
  event_type_archived: 422,
  invalid_payload: 422,
  invalid_url: 422,
  hop_limit_exceeded: 422,
  rate_limited: 429,
  internal_error: 500,
  storage_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** An expected failure with a client-facing code; anything else thrown becomes a 500 without internals. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

/** A use case's value, or its refusal as the API's error (status from ERROR_STATUS). */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  const { code, message, details } = outcome.refusal;
  // A rate limit's refusal says when to come back.
  const retryAfter = (details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  throw new ApiError(code, message, details, retryAfter ? { 'Retry-After': String(retryAfter) } : undefined);
}
