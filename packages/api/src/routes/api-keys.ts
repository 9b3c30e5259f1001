import { z } from 'zod';
import { createApiKey, deleteApiKey, listApiKeys } from '@hookline/db';
import { ApiError } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { apiKeyCreatedSchema, apiKeySchema } from '../response-schemas.js';
import { route, type Route } from '../route.js';
import { apiKeyCreateSchema } from '../schemas.js';

export function apiKeyRoutes(deps: ApiDeps): Route[] {
  const { logger } = deps.engine;
  const { knex } = deps;

  return [
    route({
      method: 'post',
      path: '/v1/api-keys',
      summary: 'Create an API key (its text is in this reply only)',
      roles: [],
      body: apiKeyCreateSchema,
      status: 201,
      response: apiKeyCreatedSchema,
      errors: [400, 422],
      // The key is in this response only; Hookline keeps its SHA-256.
      handler: async (_req, res, { body: input }) => {
        const catalogue = deps.engine.catalogue.current();
        const unknown = (input.eventTypes ?? []).filter((t) => !catalogue.find(t));
        if (unknown.length > 0) {
          throw new ApiError('unknown_event_type', `Unknown event type "${unknown[0]}".`, { unknown });
        }
        const scope = input.eventTypes
          ? [...new Set(input.eventTypes.map((t) => catalogue.find(t)!.name))]
          : null;
        const created = await createApiKey(knex, input.name, input.role, scope);
        logger.info('api key created', { keyId: created.id, role: created.role, name: created.name });
        res.status(201).json(created);
      },
    }),
    route({
      method: 'get',
      path: '/v1/api-keys',
      summary: 'List API keys',
      roles: [],
      status: 200,
      response: z.array(apiKeySchema),
      handler: async (_req, res) => {
        res.json(await listApiKeys(knex));
      },
    }),
    route({
      method: 'delete',
      path: '/v1/api-keys/{id}',
      summary: 'Revoke an API key',
      roles: [],
      status: 204,
      errors: [404],
      handler: async (req, res) => {
        const id = req.params.id as string;
        if (!(await deleteApiKey(knex, id))) throw new ApiError('not_found', `No API key ${id}.`);
        logger.info('api key revoked', { keyId: id });
        res.status(204).end();
      },
    }),
  ];
}
