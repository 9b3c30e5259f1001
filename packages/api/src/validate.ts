import type { z } from 'zod';
import { ApiError, type ErrorCode } from './api-error.js';

/** Parses with `schema` or throws a 400 listing each problem by path. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code: ErrorCode = 'invalid_body',
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }));
  const first = details[0];
  throw new ApiError(code, first ? `${first.path || 'body'}: ${first.message}` : 'Invalid request.', details);
}
