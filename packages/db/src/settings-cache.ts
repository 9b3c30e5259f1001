import type { Settings } from '@hookline/core';
import type { Db } from './connect.js';
import { startPolledCache, type PolledCache, type PolledCacheOptions } from './polled-cache.js';
import { getSettings } from './settings-repository.js';

export type SettingsCache = PolledCache<Settings>;
export type SettingsCacheOptions = PolledCacheOptions;

/** Polls the settings row so an admin's change reaches every running process without a restart. */
export function startSettingsCache(db: Db, options: SettingsCacheOptions = {}): Promise<SettingsCache> {
  return startPolledCache(() => getSettings(db), options);
}
