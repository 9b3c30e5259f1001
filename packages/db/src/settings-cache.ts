import type { Settings } from '@hookline/core';
import type { Db } from './connect.js';
import { getSettings } from './settings-repository.js';

export interface SettingsCache {
  /** The settings as last read; never older than `refreshMs` while Postgres is reachable. */
  current(): Settings;
  refresh(): Promise<Settings>;
  stop(): void;
}

export interface SettingsCacheOptions {
  /** Poll interval in ms (Default: 1000; SPEC: a change reaches every process within 2 s). */
  refreshMs?: number;
  onError?: (err: unknown) => void;
}

/** Polls the settings row so an admin's change reaches every running process without a restart. */
export async function startSettingsCache(db: Db, options: SettingsCacheOptions = {}): Promise<SettingsCache> {
  let value = await getSettings(db);
  const refresh = async (): Promise<Settings> => {
    value = await getSettings(db);
    return value;
  };
  const timer = setInterval(() => {
    refresh().catch((err: unknown) => options.onError?.(err));
  }, options.refreshMs ?? 1000);
  timer.unref();
  return { current: () => value, refresh, stop: () => clearInterval(timer) };
}
