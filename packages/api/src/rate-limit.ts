import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { ApiError } from './api-error.js';

/**
 * Per-API-key request limit on ingest (a fixed one-second window, per process). 0 turns it off.
 * Counted per key, not per IP: producers behind one NAT must not starve each other.
 */
export function perKeyRateLimit(requestsPerSecond: number): RequestHandler {
  if (requestsPerSecond <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 1000,
    limit: requestsPerSecond,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) =>
      createHash('sha256')
        .update(req.headers.authorization ?? '')
        .digest('base64'),
    handler: (_req, _res, next) =>
      next(
        new ApiError(
          'rate_limited',
          `More than ${requestsPerSecond} requests per second with this key.`,
          undefined,
          {
            'Retry-After': '1',
          },
        ),
      ),
  });
}
