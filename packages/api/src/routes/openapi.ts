import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import type { ApiDeps } from '../api-deps.js';
import { openApiDocument } from '../openapi.js';
import { apiRoutes } from './all-routes.js';

const resolvePackage = createRequire(import.meta.url).resolve;
// Found through the package, not relative to this file: the production build bundles this module.
const pageDir = join(dirname(resolvePackage('@hookline/api/package.json')), 'docs-page');
/** Swagger UI's files, served as the package ships them (no CDN: installations may be offline). */
const swaggerUiDir = dirname(resolvePackage('swagger-ui-dist/package.json'));

/** GET /openapi.json (generated from the zod schemas) and the Swagger UI page at GET /docs. */
export function openApiRoutes(deps: ApiDeps): Router {
  const router = Router();
  const document = openApiDocument(apiRoutes(deps), { version: deps.version ?? '0.0.0' });
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.sendFile('index.html', { root: pageDir });
  });
  router.get('/docs/init.js', (_req, res) => {
    res.sendFile('init.js', { root: pageDir });
  });
  router.use('/docs/assets', express.static(swaggerUiDir, { index: false }));
  return router;
}
