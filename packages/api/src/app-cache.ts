import type { Knex } from 'knex';
import { getApplication, type Application } from '@hookline/db';
import type { AppSource } from '@hookline/use-cases';

/** How long an application read is trusted: a changed rateLimit takes effect within this. */
const APP_CACHE_MS = 5000;
const APP_CACHE_MAX = 10_000;

/**
 * Applications as ingest reads them: from a short-lived cache, so posting an event costs no
 * query for its application. (An unknown id is not remembered: it answers 404 from the database.)
 */
export function cachedApps(knex: Knex): AppSource {
  const cache = new Map<string, { app: Application; until: number }>();
  return {
    async application(id) {
      const hit = cache.get(id);
      if (hit && hit.until > Date.now()) return hit.app;
      const app = await getApplication(knex, id);
      if (!app) return undefined;
      if (cache.size >= APP_CACHE_MAX) cache.clear();
      cache.set(id, { app, until: Date.now() + APP_CACHE_MS });
      return app;
    },
  };
}
