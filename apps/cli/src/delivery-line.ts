import type { DeliveryLog } from '@hookline/db';

/** Response snippets and errors are cut to this many characters on one terminal line. */
const DETAIL_CHARS = 100;

/** One delivery as one line of `deliveries tail` (pure, for a fixed log row). */
export function deliveryLine(log: DeliveryLog): string {
  const detail = (log.error ?? log.responseSnippet ?? '').replace(/\s+/g, ' ').trim();
  return [
    log.createdAt.toISOString(),
    log.mode.padEnd(9),
    log.status.padEnd(7),
    String(log.statusCode ?? '-').padStart(3),
    `${log.durationMs ?? '-'}ms`.padStart(7),
    `attempt ${log.attempt}`,
    `${log.eventCount} event${log.eventCount === 1 ? '' : 's'}`,
    log.batchId ?? '-',
    detail.length > DETAIL_CHARS ? `${detail.slice(0, DETAIL_CHARS)}…` : detail,
  ]
    .join('  ')
    .trimEnd();
}
