import type { Express, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Role } from '@hookline/db';
import { requireRole } from './auth.js';
import { validate } from './validate.js';

/**
 * One API route, declared once: the Express app, the OpenAPI document and the auth-matrix test
 * are all derived from these. Adding a route means adding one of these to a `routes/*.ts` table.
 */
export interface Route<B extends z.ZodType = z.ZodType, Q extends z.ZodObject = z.ZodObject> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI style: `/v1/webhooks/{id}`. */
  path: `/${string}`;
  summary: string;
  /**
   * Who may call it: `public` needs no key (probes, metrics); otherwise a Bearer key whose role
   * is admin or one of these.
   */
  roles: readonly Role[] | 'public';
  /** The request body, validated before the handler runs (documented as clients send it). */
  body?: B;
  /** Documented, but the handler parses the body itself (ingest reads the raw bytes). */
  bodyParsedByHandler?: boolean;
  /** The query string, validated before the handler runs. */
  query?: Q;
  /** The success status, and the reply's schema. */
  status: number;
  response?: z.ZodType;
  /** Statuses answered with the error shape, besides 401/403 on authenticated routes. */
  errors?: number[];
  /** Non-error replies besides `status`. */
  otherReplies?: { status: number; description: string; response: z.ZodType }[];
  /** Extra middleware after authentication (e.g. a rate limit). */
  before?: RequestHandler[];
  handler: (
    req: Request,
    res: Response,
    input: { body: z.infer<B>; query: z.infer<Q> },
  ) => Promise<void> | void;
}

/** Declares a route with its body and query types inferred from its schemas. */
export function route<B extends z.ZodType = z.ZodType, Q extends z.ZodObject = z.ZodObject>(
  r: Route<B, Q>,
): Route {
  return r as unknown as Route;
}

/** `/v1/webhooks/{id}` → `/v1/webhooks/:id`. */
export const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** Registers every route on the app, role check and validation first. */
export function mountRoutes(app: Express, routes: readonly Route[]): void {
  for (const r of routes) {
    const guard = r.roles === 'public' ? [] : [requireRole(...r.roles)];
    app[r.method](expressPath(r.path), ...guard, ...(r.before ?? []), async (req, res) => {
      const body = r.body && !r.bodyParsedByHandler ? validate(r.body, req.body ?? {}) : req.body;
      const query = r.query ? validate(r.query, req.query, 'invalid_query') : req.query;
      await r.handler(req, res, { body, query });
    });
  }
}
