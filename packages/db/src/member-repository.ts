import type { Db } from './connect.js';
import { hashKey, newKey } from './secret-keys.js';

// The members table: people of an organization, each with an org role and, per application of
// that organization, an app role (member_app_roles). A member signs in with its own key.

export type OrgRole = 'owner' | 'member' | 'viewer';
export type AppRole = 'owner' | 'viewer';

export interface Member {
  id: string;
  orgId: string;
  name: string;
  orgRole: OrgRole;
  /** App id → app role, for the applications it has a role on. */
  appRoles: Record<string, AppRole>;
  createdAt: Date;
}

interface MemberRow {
  id: string;
  org_id: string;
  name: string;
  org_role: OrgRole;
  created_at: Date;
  app_roles: Record<string, AppRole> | null;
}

const SELECT = `SELECT m.id, m.org_id, m.name, m.org_role, m.created_at,
    (SELECT jsonb_object_agg(r.app_id, r.role) FROM member_app_roles r WHERE r.member_id = m.id) AS app_roles
  FROM members m`;

const fromRow = (r: MemberRow): Member => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  orgRole: r.org_role,
  appRoles: r.app_roles ?? {},
  createdAt: r.created_at,
});

async function setAppRoles(db: Db, memberId: string, appRoles: Record<string, AppRole>): Promise<void> {
  await db('member_app_roles').where({ member_id: memberId }).delete();
  const rows = Object.entries(appRoles).map(([appId, role]) => ({
    member_id: memberId,
    app_id: appId,
    role,
  }));
  if (rows.length > 0) await db('member_app_roles').insert(rows);
}

async function readMember(db: Db, where: string, value: string): Promise<Member | undefined> {
  const res = await db.raw<{ rows: MemberRow[] }>(`${SELECT} WHERE ${where} = ?`, [value]);
  return res.rows[0] ? fromRow(res.rows[0]) : undefined;
}

/** Adds a member and returns its key, in this reply only (the hash is kept). */
export async function createMember(
  db: Db,
  member: { orgId: string; name: string; orgRole: OrgRole; appRoles: Record<string, AppRole> },
): Promise<Member & { key: string }> {
  const key = newKey('hkm');
  return db.transaction(async (trx) => {
    const [row] = await trx('members')
      .insert({ org_id: member.orgId, name: member.name, org_role: member.orgRole, key_hash: hashKey(key) })
      .returning<{ id: string }[]>(['id']);
    await setAppRoles(trx, row!.id, member.appRoles);
    return { ...(await readMember(trx, 'm.id', row!.id))!, key };
  });
}

export async function listMembers(db: Db, orgId: string): Promise<Member[]> {
  const res = await db.raw<{ rows: MemberRow[] }>(
    `${SELECT} WHERE m.org_id = ? ORDER BY m.created_at, m.id`,
    [orgId],
  );
  return res.rows.map(fromRow);
}

export async function getMember(db: Db, id: string): Promise<Member | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return readMember(db, 'm.id', id);
}

/** The member whose key this is. */
export function findMemberByKey(db: Db, key: string): Promise<Member | undefined> {
  return readMember(db, 'm.key_hash', hashKey(key));
}

/** Changes a member's name or roles (`appRoles` replaces them all). */
export async function updateMember(
  db: Db,
  id: string,
  changes: { name?: string; orgRole?: OrgRole; appRoles?: Record<string, AppRole> },
): Promise<Member | undefined> {
  return db.transaction(async (trx) => {
    const row = {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.orgRole !== undefined ? { org_role: changes.orgRole } : {}),
    };
    if (Object.keys(row).length > 0) await trx('members').where({ id }).update(row);
    if (changes.appRoles !== undefined) await setAppRoles(trx, id, changes.appRoles);
    return readMember(trx, 'm.id', id);
  });
}

export async function deleteMember(db: Db, id: string): Promise<boolean> {
  return (await db('members').where({ id }).delete()) > 0;
}
