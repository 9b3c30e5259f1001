import { EventCatalogue, type CatalogueSource } from '@hookline/core';
import type { Db } from './connect.js';
import { eventTypesStamp, listEventTypes } from './event-type-repository.js';
import { stampedLoad, startPolledCache, type PolledCache, type PolledCacheOptions } from './polled-cache.js';

export type CatalogueCache = PolledCache<EventCatalogue> & CatalogueSource;

/**
 * The live event catalogue: a one-row stamp query each poll, and the table read again only when
 * the stamp moves, so adding or archiving a type reaches every process within 2 s.
 */
export function startCatalogueCache(db: Db, options: PolledCacheOptions = {}): Promise<CatalogueCache> {
  return startPolledCache(
    stampedLoad(
      () => eventTypesStamp(db),
      async () => new EventCatalogue(await listEventTypes(db)),
    ),
    options,
  );
}
