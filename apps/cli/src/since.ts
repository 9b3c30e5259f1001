import { InvalidArgumentError } from 'commander';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--since`: a duration back from `now` (`90s`, `30m`, `2h`, `7d`) or an ISO 8601 time. */
export function parseSince(value: string, now = new Date()): Date {
  const relative = /^(\d{1,6})([smhd])$/.exec(value);
  if (relative) {
    return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value);
  throw new InvalidArgumentError('use a duration such as 30m, 2h or 7d, or an ISO 8601 time');
}
