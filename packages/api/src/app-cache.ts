import type { Knex } from 'knex';
import { getApplication, getApplications } from '@hookline/db';
import type { AppSource } from '@hookline/use-cases';
import { refreshingCache } from './refreshing-cache.js';

/** How long an application read is trusted: a changed rateLimit takes effect within this. */
const APP_CACHE_MS = 5000;
const APP_CACHE_MAX = 10_000;

/**
 * Applications as ingest reads them: from a cache kept fresh in the background, so posting an
 * event costs no query for its application. (An unknown id is not remembered: it answers 404
 * from the database.)
 */
export function cachedApps(knex: Knex): AppSource {
  const application = refreshingCache({
    maxAgeMs: APP_CACHE_MS,
    max: APP_CACHE_MAX,
    load: (id) => getApplication(knex, id),
    loadMany: (ids) => getApplications(knex, ids),
  });
  return { application };
}
