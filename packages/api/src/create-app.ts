import express, { type NextFunction, type Request, type Response } from 'express';
import { isStorageUnavailable } from '@hookline/db';
import { ApiError } from './api-error.js';
import { cachedApps } from './app-cache.js';
import type { ApiDeps } from './api-deps.js';
import { authenticate, type Authenticate } from './auth.js';
import { jsonBody, refuseNul } from './json-body.js';
import { mountRoutes } from './route.js';
import { apiRoutes } from './routes/all-routes.js';
import { openApiRoutes } from './routes/openapi.js';

/** Seconds a producer is told to wait when Postgres is unavailable. */
const STORAGE_RETRY_AFTER_SECONDS = 5;

/**
 * Where bodies may not carry NUL characters (Postgres text cannot hold them): everything stored
 * as text but events, whose payloads are kept as the raw JSON text, escapes and all.
 */
const NUL_REFUSED =
  /^\/(webhooks|api-keys|settings|orgs)(\/|$)|^\/apps\/[^/]+(\/(webhooks|api-keys)(\/|$)|\/?$)/;

export interface AppMounts {
  /** Routers served beside the API (the admin dashboard at /admin), given the API's auth. */
  [path: `/${string}`]: (auth: Authenticate) => express.Router;
}

export function createApp(given: ApiDeps, mounts: AppMounts = {}): express.Express {
  const deps = { ...given, apps: given.apps ?? cachedApps(given.knex) };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  const auth = authenticate(deps.knex, deps.adminKey);
  app.use('/v1', auth, jsonBody);
  app.use('/v1', (req, res, next) => (NUL_REFUSED.test(req.path) ? refuseNul(req, res, next) : next()));
  // Every route from the one table (routes/all-routes.ts): public ones need no key.
  mountRoutes(app, apiRoutes(deps), deps);
  // After the API, so that ingest requests never walk through the docs and dashboard routers.
  app.use(openApiRoutes(deps));
  for (const [path, mount] of Object.entries(mounts)) app.use(path, mount(auth));

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new ApiError('not_found', `No route for ${req.method} ${req.path}.`));
  });

  // The one place outcomes become responses: ApiErrors pick their status; storage outages are
  // 503 with Retry-After (never a 202 for an unsaved event); anything else is a bare 500.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let apiError: ApiError;
    if (err instanceof ApiError) apiError = err;
    else if (isStorageUnavailable(err)) {
      deps.engine.logger.warn('storage unavailable', { path: req.path, err });
      apiError = new ApiError('storage_unavailable', 'Storage is unavailable; retry later.', undefined, {
        'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS),
      });
    } else if ((err as { type?: string }).type === 'request.aborted') {
      return;
    } else {
      deps.engine.logger.error('unhandled error', { method: req.method, path: req.path, err });
      apiError = new ApiError('internal_error', 'Internal error.');
    }
    if (res.headersSent) return;
    res
      .status(apiError.status)
      .set(apiError.headers ?? {})
      .json(apiError.toJSON());
  });

  return app;
}
