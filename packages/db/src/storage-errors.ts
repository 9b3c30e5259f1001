const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/**
 * True when `err` means Postgres could not be reached or went away, as opposed to a bug or a
 * constraint error: the API answers these with 503 and Retry-After, never 202.
 */
export function isStorageUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (err.name === 'KnexTimeoutError') return true;
  if (/Connection terminated|connection timeout|Client has encountered a connection error/i.test(err.message))
    return true;
  const cause = (err as { cause?: unknown }).cause;
  const nested = (err as { errors?: unknown }).errors;
  if (cause && cause !== err && isStorageUnavailable(cause)) return true;
  return Array.isArray(nested) && nested.some(isStorageUnavailable);
}
