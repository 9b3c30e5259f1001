/**
 * Delivery latency per minute, kept as counts in fixed buckets (upper bounds in ms; the last is
 * open): small enough to store a row per webhook per minute, and to add across webhooks and
 * minutes. A percentile reads as the upper bound of the bucket it falls in, so p50/p99 are
 * accurate to a bucket (about ×2 apart), which is what a health chart needs.
 */
const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000] as const;

/** Bucket count: one per bound, and one for anything slower than the last. */
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

export function latencyBucket(ms: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return i === -1 ? LATENCY_BOUNDS_MS.length : i;
}

/** The `p`th percentile (0–100) of a histogram, as its bucket's upper bound; null when empty. */
export function histogramPercentile(counts: readonly number[], p: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank) return i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i]! : null;
  }
  return null;
}
