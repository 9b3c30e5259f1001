import { DEFAULT_SETTINGS, settingsSchema, type Settings, type SettingsPatch } from '@hookline/core';
import type { Db } from './connect.js';

/** Stored values over the defaults; a stored value that no longer validates falls back to its default. */
function merge(stored: Record<string, unknown> | undefined): Settings {
  const candidate = { ...DEFAULT_SETTINGS, ...stored };
  const parsed = settingsSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const clean: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [k, v] of Object.entries(stored ?? {})) {
    const field = settingsSchema.shape[k as keyof Settings];
    if (field?.safeParse(v).success) clean[k] = v;
  }
  return clean as Settings;
}

export async function getSettings(db: Db): Promise<Settings> {
  const row = await db('settings')
    .select('data')
    .where({ id: 1 })
    .first<{ data: Record<string, unknown> } | undefined>();
  return merge(row?.data);
}

export async function updateSettings(db: Db, patch: SettingsPatch): Promise<Settings> {
  const res = await db.raw<{ rows: { data: Record<string, unknown> }[] }>(
    `INSERT INTO settings (id, data, updated_at) VALUES (1, ?::jsonb, now())
     ON CONFLICT (id) DO UPDATE SET data = settings.data || EXCLUDED.data, updated_at = now()
     RETURNING data`,
    [JSON.stringify(patch)],
  );
  return merge(res.rows[0]?.data);
}
