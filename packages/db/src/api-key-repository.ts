import type { Db } from './connect.js';
import { hashKey, newKey } from './secret-keys.js';

export type Role = 'admin' | 'producer' | 'viewer';

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  /** The event types this key is limited to (producer: may post; viewer: sees webhooks of), or null for all. */
  eventTypes: string[] | null;
  /** The application it is limited to (an app key: producer or viewer), or null: an installation key. */
  appId: string | null;
  createdAt: Date;
}

interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  event_types: string[] | null;
  app_id: string | null;
  created_at: Date;
}

const COLUMNS = ['id', 'name', 'role', 'event_types', 'app_id', 'created_at'];

const fromRow = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  eventTypes: r.event_types,
  appId: r.app_id,
  createdAt: r.created_at,
});

/** Creates a key and returns its plain text once; only its hash is stored. */
export async function createApiKey(
  db: Db,
  name: string,
  role: Role,
  eventTypes: string[] | null = null,
  appId: string | null = null,
): Promise<ApiKey & { key: string }> {
  const key = newKey('hk');
  const [row] = await db('api_keys')
    .insert({ name, role, key_hash: hashKey(key), event_types: eventTypes, app_id: appId })
    .returning<ApiKeyRow[]>(COLUMNS);
  return { ...fromRow(row!), key };
}

/** Looks a presented key up by its hash. */
export async function findApiKey(db: Db, key: string): Promise<ApiKey | undefined> {
  const row = await db('api_keys')
    .select(COLUMNS)
    .where({ key_hash: hashKey(key) })
    .first<ApiKeyRow | undefined>();
  return row ? fromRow(row) : undefined;
}

/** The installation's keys (`appId` null) or one application's. */
export async function listApiKeys(db: Db, appId: string | null = null): Promise<ApiKey[]> {
  const rows = await db('api_keys')
    .select(COLUMNS)
    .where(appId === null ? { app_id: null } : { app_id: appId })
    .orderBy('created_at')
    .then((r: ApiKeyRow[]) => r);
  return rows.map(fromRow);
}

/** Revokes the installation's key `id` (`appId` null) or one of the application's. */
export async function deleteApiKey(db: Db, id: string, appId: string | null = null): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  return (await db('api_keys').where({ id, app_id: appId }).delete()) > 0;
}
