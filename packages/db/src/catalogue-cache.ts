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
  return startPolledCache(
    stampedLoad(
      () => eventTypesStamp(db),
      async () => new EventCatalogue(await listEventTypes(db)),
    ),
    options,
  );
}

/**
 * A polled cache's load that reads the whole value only when the stamp moved since `previous`
 * was read. Each value keeps its own stamp: loads overlap (a poll, and a refresh after a change),
 * and one that compared against a stamp another load had just stored kept the value it started
 * with, read before the change (a flaky 202 for a payload the new schema refuses).
 */
export function stampedLoad<T extends object>(
  readStamp: () => Promise<string>,
  read: () => Promise<T>,
): (previous: T | undefined) => Promise<T> {
  const stamps = new WeakMap<T, string>();
  return async (previous) => {
    const now = await readStamp();
    if (previous && stamps.get(previous) === now) return previous;
    const value = await read();
    stamps.set(value, now);
    return value;
  };
}
