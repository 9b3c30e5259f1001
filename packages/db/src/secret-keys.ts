import { createHash, randomBytes } from 'node:crypto';

// The Bearer keys Hookline hands out (installation and app keys, members' keys): random text
// shown once, stored as its SHA-256. Keys are high-entropy, so a fast hash suffices, and looking
// one up by its digest leaks nothing of the key through timing.

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new key with a prefix that tells people what it is (`hk_` keys, `hkm_` members, `hkp_` portal tokens). */
export function newKey(prefix: 'hk' | 'hkm' | 'hkp'): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

/** A Postgres unique violation: an id (or key) that is taken. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}
