import { z } from 'zod';
import { appKeyCreateSchema } from '@hookline/core';
import { createKey, listKeys, revokeKey } from '@hookline/use-cases';
import type { ApiKey } from '@hookline/db';
import { unwrap } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { callerOf } from '../auth.js';
import { apiKeyCreatedSchema, apiKeySchema } from '../response-schemas.js';
import { route, type Route } from '../route.js';
import { apiKeyCreateSchema } from '../schemas.js';

/** A key as the API shows it (the same shape for installation and app keys). */
const keyJson = ({ appId: _appId, ...key }: ApiKey) => key;

/**
 * Keys: the installation's at /v1/api-keys (admin, producer or viewer on every application), an
 * application's at /v1/apps/{app}/api-keys (producer or viewer of it alone). Two owners, so two
 * declarations; the use cases (api-keys.ts) are the same.
 */
export function apiKeyRoutes(deps: ApiDeps): Route[] {
  const writes = { knex: deps.knex, logger: deps.engine.logger, catalogue: deps.engine.catalogue };
  const appOfKeys = (params: Record<string, unknown>) => (params.app as string | undefined) ?? null;

  return [
    ...(['/v1/api-keys', '/v1/apps/{app}/api-keys'] as const).flatMap((path): Route[] => {
      const installation = path === '/v1/api-keys';
      const access = installation ? ({ installation: [] } as const) : ({ app: 'keys' } as const);
      const owner = installation ? 'the installation' : 'the application';
      return [
        route({
          method: 'post',
          path,
          summary: `Create an API key of ${owner} (its text is in this reply only)`,
          access,
          body: installation ? apiKeyCreateSchema : appKeyCreateSchema,
          status: 201,
          response: apiKeyCreatedSchema,
          errors: [400, 422],
          // The key is in this response only; Hookline keeps its SHA-256.
          handler: async (req, res, { body }) => {
            const created = unwrap(await createKey(writes, callerOf(res), appOfKeys(req.params), body));
            res.status(201).json({ ...keyJson(created), key: created.key });
          },
        }),
        route({
          method: 'get',
          path,
          summary: `List the API keys of ${owner}`,
          access,
          status: 200,
          response: z.array(apiKeySchema),
          handler: async (req, res) => {
            res.json(unwrap(await listKeys(deps, callerOf(res), appOfKeys(req.params))).map(keyJson));
          },
        }),
        route({
          method: 'delete',
          path: `${path}/{id}`,
          summary: `Revoke an API key of ${owner} (it stops working within 5 s)`,
          access,
          status: 204,
          errors: [404],
          handler: async (req, res) => {
            unwrap(await revokeKey(writes, callerOf(res), appOfKeys(req.params), req.params.id as string));
            res.status(204).end();
          },
        }),
      ];
    }),
  ];
}
