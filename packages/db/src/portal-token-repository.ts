import type { Db } from './connect.js';
import { hashKey, newKey } from './secret-keys.js';

// Portal tokens (migration 13): Bearer keys for one application's webhook routes, which its
// customers use in the portal. Stored hashed; they expire, and revoking deletes them all.

export interface PortalToken {
  appId: string;
  readOnly: boolean;
  expiresAt: Date;
}

/** Creates a token and returns its plain text once; only its hash is stored. */
export async function createPortalToken(
  db: Db,
  token: PortalToken,
): Promise<PortalToken & { token: string }> {
  const key = newKey('hkp');
  await db('portal_tokens').insert({
    app_id: token.appId,
    token_hash: hashKey(key),
    read_only: token.readOnly,
    expires_at: token.expiresAt,
  });
  return { ...token, token: key };
}

/** Looks a presented key up by its hash (expired ones too: the caller says which it is). */
export async function findPortalToken(db: Db, key: string): Promise<PortalToken | undefined> {
  const row = await db('portal_tokens')
    .select('app_id', 'read_only', 'expires_at')
    .where({ token_hash: hashKey(key) })
    .first<{ app_id: string; read_only: boolean; expires_at: Date } | undefined>();
  return row ? { appId: row.app_id, readOnly: row.read_only, expiresAt: row.expires_at } : undefined;
}

/** Revokes every portal token of the application; returns how many there were. */
export async function revokePortalTokens(db: Db, appId: string): Promise<number> {
  return db('portal_tokens').where({ app_id: appId }).delete();
}

/** Deletes tokens that expired before `cutoff` (retention: until then they answer token_expired). */
export async function prunePortalTokensExpiredBefore(db: Db, cutoff: Date): Promise<number> {
  return db('portal_tokens').where('expires_at', '<', cutoff).delete();
}
