import { CronExpressionParser } from 'cron-parser';

/**
 * Why `pattern` is not a cron pattern BullMQ should run, or undefined when it is one. Only 5
 * fields (minute first) or 6 (seconds first) are accepted: cron-parser reads a 4-field pattern
 * such as `*\/5 * * *` as if a field were missing in front, which fires at hours nobody meant.
 */
export function cronPatternProblem(pattern: string): string | undefined {
  const fields = pattern.trim().split(/\s+/).filter(Boolean).length;
  if (fields !== 5 && fields !== 6)
    return `has ${fields} field${fields === 1 ? '' : 's'}; use 5 (minute hour day month weekday) or 6 (seconds first)`;
  try {
    CronExpressionParser.parse(pattern);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0]!.toLowerCase() : String(err);
  }
}
