export interface RetryPolicy {
  /** Delay before the first retry, in ms (Default: 5000). */
  baseDelayMs: number;
  /** Ceiling for any single delay, Retry-After included, in ms (Default: 7_200_000, 2 h). */
  maxDelayMs: number;
  /** Attempts in all, the first included, before a batch is recorded as failed (Default: 15, ~9 h). */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  baseDelayMs: 5_000,
  maxDelayMs: 7_200_000,
  maxAttempts: 15,
});

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * What to do after failed attempt number `attempt` (1-based). Delays double each time with "equal
 * jitter" (half fixed, half random) so retries from many webhooks spread out yet still grow.
 * A receiver's Retry-After is honoured: we never come back earlier than it asked.
 * `random` is injected so tests are deterministic.
 */
export function nextRetry(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
): RetryDecision {
  if (attempt >= policy.maxAttempts) return { retry: false };
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(exp / 2 + random() * (exp / 2));
  const delayMs = Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
  return { retry: true, delayMs };
}

/** Parses a Retry-After header (delta-seconds or HTTP date) into ms from `now`. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
