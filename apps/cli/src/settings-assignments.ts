import { settingsPatchSchema, type SettingsPatch } from '@hookline/core';

/** Parses `key=value` words into a validated settings patch; numbers are read as numbers. */
export function parseAssignments(words: readonly string[]): SettingsPatch {
  const raw: Record<string, unknown> = {};
  for (const word of words) {
    const at = word.indexOf('=');
    if (at <= 0) throw new Error(`expected key=value, got "${word}"`);
    const value = word.slice(at + 1);
    raw[word.slice(0, at)] = /^-?\d+$/.test(value) ? Number(value) : value;
  }
  const parsed = settingsPatchSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}
