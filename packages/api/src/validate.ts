import type { z } from 'zod';
import { ApiError, type ErrorCode } from './api-error.js';

/** Problems listed in an error's details; a batch of 1000 bad events should not answer with 1000. */
const MAX_DETAILS = 20;

/** Parses with `schema` or throws a 400 listing the problems by path (the first MAX_DETAILS). */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code: ErrorCode = 'invalid_body',
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const details = issues
    .slice(0, MAX_DETAILS)
    .map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = details[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new ApiError(
    code,
    first ? `${first.path || 'body'}: ${first.message}${more}` : 'Invalid request.',
    details,
  );
}
