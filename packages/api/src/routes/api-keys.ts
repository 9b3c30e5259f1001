import { Router } from 'express';
import { createApiKey, deleteApiKey, listApiKeys } from '@hookline/db';
import { ApiError } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { requireRole } from '../auth.js';
import { apiKeyCreateSchema } from '../schemas.js';
import { validate } from '../validate.js';

export function apiKeyRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { logger } = deps.engine;
  const { knex } = deps;

  // The key is in this response only; Hookline keeps its SHA-256.
  router.post('/v1/api-keys', requireRole(), async (req, res) => {
    const input = validate(apiKeyCreateSchema, req.body);
    const created = await createApiKey(knex, input.name, input.role);
    logger.info('api key created', { keyId: created.id, role: created.role, name: created.name });
    res.status(201).json(created);
  });

  router.get('/v1/api-keys', requireRole(), async (_req, res) => {
    res.json(await listApiKeys(knex));
  });

  router.delete('/v1/api-keys/:id', requireRole(), async (req, res) => {
    const id = req.params.id as string;
    if (!(await deleteApiKey(knex, id))) throw new ApiError('not_found', `No API key ${id}.`);
    logger.info('api key revoked', { keyId: id });
    res.status(204).end();
  });

  return router;
}
