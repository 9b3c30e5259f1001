import type { Express, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Role } from '@hookline/db';
import { DEFAULT_APP } from '@hookline/core';
import {
  checkAccess,
  INSTALLATION_ROLES,
  type AppAccess,
  type OrgAccess,
  type TenantReads,
} from '@hookline/use-cases';
import { unwrap } from './api-error.js';
import { callerOf, requireCaller, requireRole } from './auth.js';
import { validate } from './validate.js';

/**
 * Who may call a route:
 * - `public`: no key (probes, metrics);
 * - `authenticated`: any valid key (installation, member or app key);
 * - `installation`: an installation key with admin or one of these roles (settings, the
 *   catalogue's changes, installation keys), checked when the route is mounted;
 * - `app` / `org`: a tenant route, whose use case checks the caller (Mix's rules, use-cases'
 *   tenancy.ts) and whose installation roles are INSTALLATION_ROLES'. An `app` route is an
 *   application's: served at its path for application default and under /v1/apps/{app}.
 */
export type Access =
  'public' | 'authenticated' | { installation: readonly Role[] } | { app: AppAccess } | { org: OrgAccess };

/**
 * One API route, declared once: the Express app, the OpenAPI document and the auth-matrix test
 * are all derived from these. Adding a route means adding one of these to a `routes/*.ts` table.
 */
export interface Route<B extends z.ZodType = z.ZodType, Q extends z.ZodObject = z.ZodObject> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI style: `/v1/webhooks/{id}`. */
  path: `/${string}`;
  summary: string;
  access: Access;
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

/** The installation roles that may call a route (documented as its `x-roles`). */
export function installationRoles(access: Access): readonly Role[] {
  if (access === 'public') return [];
  if (access === 'authenticated') return ['admin', 'producer', 'viewer'];
  if ('installation' in access) return ['admin', ...access.installation];
  if ('app' in access) return INSTALLATION_ROLES.app[access.app];
  return INSTALLATION_ROLES.org[access.org];
}

/**
 * The paths a route is served at: an application's route at its own (application default's) and
 * under /v1/apps/{app}: one declaration, two paths.
 */
export function pathsOf(r: Route): `/${string}`[] {
  if (typeof r.access === 'string' || !('app' in r.access) || r.path.startsWith('/v1/apps/')) return [r.path];
  return [r.path, `/v1/apps/{app}${r.path.slice('/v1'.length)}`];
}

/** The application a request acts on: the path's, or default for the unprefixed routes. */
export const appOf = (req: Request): string => (req.params.app as string | undefined) ?? DEFAULT_APP;

/** The check a route makes before reading its input: who may call it at all. */
function guardOf(access: Access, deps: TenantReads): RequestHandler[] {
  if (access === 'public') return [];
  if (access === 'authenticated') return [requireCaller];
  if ('installation' in access) return [requireRole(...access.installation)];
  const target = (req: Request) =>
    'app' in access
      ? { app: appOf(req), access: access.app }
      : { org: req.params.org as string | undefined, access: access.org };
  return [
    requireCaller,
    async (req, res, next) => {
      try {
        unwrap(await checkAccess(deps, callerOf(res), target(req)));
        next();
      } catch (err) {
        next(err);
      }
    },
  ];
}

/**
 * Registers every route on the app, at each of its paths: who may call it first (tenant routes:
 * the use cases' own check, asked early), then validation, then the handler.
 */
export function mountRoutes(app: Express, routes: readonly Route[], deps: TenantReads): void {
  for (const r of routes) {
    const guard = guardOf(r.access, deps);
    for (const path of pathsOf(r)) {
      app[r.method](expressPath(path), ...guard, ...(r.before ?? []), async (req, res) => {
        const body = r.body && !r.bodyParsedByHandler ? validate(r.body, req.body ?? {}) : req.body;
        const query = r.query ? validate(r.query, req.query, 'invalid_query') : req.query;
        await r.handler(req, res, { body, query });
      });
    }
  }
}
