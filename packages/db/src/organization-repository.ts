import type { Db } from './connect.js';

// The organizations table: the tenants of an installation. Each holds applications and members.

export interface Organization {
  id: string;
  name: string;
  createdAt: Date;
}

const COLUMNS = ['id', 'name', 'created_at'];

const fromRow = (r: { id: string; name: string; created_at: Date }): Organization => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
});

/** Creates an organization; a taken id throws a unique violation (isUniqueViolation). */
export async function createOrganization(db: Db, org: { id: string; name: string }): Promise<Organization> {
  const [row] = await db('organizations').insert(org).returning(COLUMNS);
  return fromRow(row);
}

export async function getOrganization(db: Db, id: string): Promise<Organization | undefined> {
  const row = await db('organizations').select(COLUMNS).where({ id }).first();
  return row ? fromRow(row) : undefined;
}

/** Every organization (`ids` absent), or those of `ids`, oldest first. */
export async function listOrganizations(db: Db, ids?: readonly string[]): Promise<Organization[]> {
  const query = db('organizations').select(COLUMNS).orderBy('created_at').orderBy('id');
  if (ids) void query.whereIn('id', ids);
  return (await query).map(fromRow);
}

export async function renameOrganization(
  db: Db,
  id: string,
  name: string,
): Promise<Organization | undefined> {
  const [row] = await db('organizations').where({ id }).update({ name }).returning(COLUMNS);
  return row ? fromRow(row) : undefined;
}

/** Deletes an organization that holds no application (`holds_applications` otherwise). */
export async function deleteOrganization(
  db: Db,
  id: string,
): Promise<'deleted' | 'missing' | 'holds_applications'> {
  return db.transaction(async (trx) => {
    const org = await trx('organizations').where({ id }).forUpdate().first();
    if (!org) return 'missing';
    if (await trx('applications').where({ org_id: id }).first()) return 'holds_applications';
    await trx('organizations').where({ id }).delete();
    return 'deleted';
  });
}
