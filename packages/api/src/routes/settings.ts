import { settingsPatchSchema, settingsSchema } from '@hookline/core';
import { updateSettings } from '@hookline/db';
import type { ApiDeps } from '../api-deps.js';
import { route, type Route } from '../route.js';

export function settingsRoutes(deps: ApiDeps): Route[] {
  const { settings, logger } = deps.engine;
  const { knex } = deps;

  return [
    route({
      method: 'get',
      path: '/v1/settings',
      summary: 'Delivery settings',
      access: { installation: ['viewer'] },
      status: 200,
      response: settingsSchema,
      handler: async (_req, res) => {
        res.json(await settings.refresh());
      },
    }),
    route({
      method: 'patch',
      path: '/v1/settings',
      summary: 'Change settings; every process applies them within 2 s',
      access: { installation: [] },
      body: settingsPatchSchema,
      status: 200,
      response: settingsSchema,
      errors: [400],
      handler: async (_req, res, { body: patch }) => {
        const updated = await updateSettings(knex, patch);
        await settings.refresh();
        logger.info('settings changed', { changes: patch });
        res.json(updated);
      },
    }),
  ];
}
