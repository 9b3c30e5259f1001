import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './connect.js';

export type Role = 'admin' | 'producer' | 'viewer';

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Creates a key and returns its plain text once; only its hash is stored. */
export async function createApiKey(db: Db, name: string, role: Role): Promise<ApiKey & { key: string }> {
  const key = `hk_${randomBytes(24).toString('base64url')}`;
  const [row] = await db('api_keys')
    .insert({ name, role, key_hash: hashApiKey(key) })
    .returning<{ id: string; name: string; role: Role; created_at: Date }[]>([
      'id',
      'name',
      'role',
      'created_at',
    ]);
  return { id: row!.id, name: row!.name, role: row!.role, createdAt: row!.created_at, key };
}

/** Looks a presented key up by its hash (an index lookup on a digest: no timing leak of the key). */
export async function findApiKey(db: Db, key: string): Promise<ApiKey | undefined> {
  const row = await db('api_keys')
    .select('id', 'name', 'role', 'created_at')
    .where({ key_hash: hashApiKey(key) })
    .first<{ id: string; name: string; role: Role; created_at: Date } | undefined>();
  return row ? { id: row.id, name: row.name, role: row.role, createdAt: row.created_at } : undefined;
}

export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await db('api_keys')
    .select('id', 'name', 'role', 'created_at')
    .orderBy('created_at')
    .then((r: { id: string; name: string; role: Role; created_at: Date }[]) => r);
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at }));
}

export async function deleteApiKey(db: Db, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  return (await db('api_keys').where({ id }).delete()) > 0;
}
