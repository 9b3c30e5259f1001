import { EventCatalogue, type CatalogueSource } from '@hookline/core';
import type { Db } from './connect.js';
import { eventTypesStamp, listEventTypes } from './event-type-repository.js';
import { startPolledCache, type PolledCache, type PolledCacheOptions } from './polled-cache.js';

export type CatalogueCache = PolledCache<EventCatalogue> & CatalogueSource;

/**
 * The live event catalogue: a one-row stamp query each poll, and the table read again only when
 * the stamp moves, so adding or archiving a type reaches every process within 2 s.
 */
export function startCatalogueCache(db: Db, options: PolledCacheOptions = {}): Promise<CatalogueCache> {
  let stamp: string | undefined;
  return startPolledCache<EventCatalogue>(async (previous) => {
    const now = await eventTypesStamp(db);
    if (previous && now === stamp) return previous;
    const types = await listEventTypes(db);
    stamp = now;
    return new EventCatalogue(types);
  }, options);
}
