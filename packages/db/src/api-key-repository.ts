import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './connect.js';

export type Role = 'admin' | 'producer' | 'viewer';

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  /** The event types this key is limited to (producer: may post; viewer: sees webhooks of), or null for all. */
  eventTypes: string[] | null;
  createdAt: Date;
}

interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  event_types: string[] | null;
  created_at: Date;
}

const COLUMNS = ['id', 'name', 'role', 'event_types', 'created_at'];

const fromRow = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  eventTypes: r.event_types,
  createdAt: r.created_at,
});

function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Creates a key and returns its plain text once; only its hash is stored. */
export async function createApiKey(
  db: Db,
  name: string,
  role: Role,
  eventTypes: string[] | null = null,
): Promise<ApiKey & { key: string }> {
  const key = `hk_${randomBytes(24).toString('base64url')}`;
  const [row] = await db('api_keys')
    .insert({ name, role, key_hash: hashApiKey(key), event_types: eventTypes })
    .returning<ApiKeyRow[]>(COLUMNS);
  return { ...fromRow(row!), key };
}

/** Looks a presented key up by its hash (an index lookup on a digest: no timing leak of the key). */
export async function findApiKey(db: Db, key: string): Promise<ApiKey | undefined> {
  const row = await db('api_keys')
    .select(COLUMNS)
    .where({ key_hash: hashApiKey(key) })
    .first<ApiKeyRow | undefined>();
  return row ? fromRow(row) : undefined;
}

export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await db('api_keys')
    .select(COLUMNS)
    .orderBy('created_at')
    .then((r: ApiKeyRow[]) => r);
  return rows.map(fromRow);
}

export async function deleteApiKey(db: Db, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  return (await db('api_keys').where({ id }).delete()) > 0;
}
