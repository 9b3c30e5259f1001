import { InvalidArgumentError } from 'commander';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const DURATION = /^(\d{1,6})([smhd])$/;

/** A duration (`90s`, `30m`, `2h`, `7d`) in ms, or undefined when `value` is none. */
const durationMs = (value: string): number | undefined => {
  const match = DURATION.exec(value);
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
};

/** `--expires`: a duration (`90s`, `30m`, `2h`, `7d`), in seconds. */
export function parseDurationSeconds(value: string): number {
  const ms = durationMs(value);
  if (ms === undefined) throw new InvalidArgumentError('use a duration such as 30m, 2h or 7d');
  return ms / 1000;
}

/** `--since`: a duration back from `now` (`90s`, `30m`, `2h`, `7d`) or an ISO 8601 time. */
export function parseSince(value: string, now = new Date()): Date {
  const ms = durationMs(value);
  if (ms !== undefined) return new Date(now.getTime() - ms);
  if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value);
  throw new InvalidArgumentError('use a duration such as 30m, 2h or 7d, or an ISO 8601 time');
}
