import { Router } from 'express';
import { settingsPatchSchema } from '@hookline/core';
import { updateSettings } from '@hookline/db';
import type { ApiDeps } from '../api-deps.js';
import { requireRole } from '../auth.js';
import { validate } from '../validate.js';

export function settingsRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { settings, logger } = deps.engine;
  const { knex } = deps;

  router.get('/v1/settings', requireRole('viewer'), async (_req, res) => {
    res.json(await settings.refresh());
  });

  router.patch('/v1/settings', requireRole(), async (req, res) => {
    const patch = validate(settingsPatchSchema, req.body ?? {});
    const updated = await updateSettings(knex, patch);
    await settings.refresh();
    logger.info('settings changed', { changes: patch });
    res.json(updated);
  });

  return router;
}
