import type { Harness } from '@hookline/testing';
import type { AppId, AppRole, OrgId, OrgRole, Principal } from './tenancy-rules.js';

// The tenants and callers the tenancy tests act with: organizations org-a (applications a1, a2)
// and org-b (b1) beside default; installation keys of each role; members of org-a with each org
// role × app role on a1 (owner, viewer, none); producer and viewer keys of a1, a2 and b1.

export interface World {
  /** Every caller, with its Bearer key (none for `no key`). */
  principals: { name: string; p: Principal; key: string | null }[];
  /** Calls the API as the installation admin; anything but 2xx throws. */
  admin<T>(method: string, path: string, body?: unknown): Promise<T>;
  newAppKey(app: AppId, role?: 'producer' | 'viewer'): Promise<{ id: string; key: string }>;
  newMember(
    org: OrgId,
    orgRole: OrgRole,
    appRoles?: Record<string, AppRole>,
  ): Promise<{ id: string; key: string }>;
}

export async function createWorld(h: Harness): Promise<World> {
  async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await h.api<T>(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  const newAppKey = (app: AppId, role: 'producer' | 'viewer' = 'viewer') =>
    admin<{ id: string; key: string }>('POST', `/v1/apps/${app}/api-keys`, { name: `${app} ${role}`, role });
  const newMember = (org: OrgId, orgRole: OrgRole, appRoles: Record<string, AppRole> = {}) =>
    admin<{ id: string; key: string }>('POST', `/v1/orgs/${org}/members`, { name: 'm', orgRole, appRoles });

  await admin('POST', '/v1/orgs', { id: 'org-a', name: 'A' });
  await admin('POST', '/v1/orgs', { id: 'org-b', name: 'B' });
  for (const [app, org] of [
    ['a1', 'org-a'],
    ['a2', 'org-a'],
    ['b1', 'org-b'],
  ])
    await admin('POST', `/v1/orgs/${org}/apps`, { id: app, name: app });

  const principals: World['principals'] = [{ name: 'no key', p: { kind: 'none' }, key: null }];
  for (const role of ['admin', 'producer', 'viewer'] as const) {
    const { key } = await admin<{ key: string }>('POST', '/v1/api-keys', { name: role, role });
    principals.push({ name: `installation ${role}`, p: { kind: 'installation', role }, key });
  }
  for (const orgRole of ['owner', 'member', 'viewer'] as const) {
    for (const appRole of ['owner', 'viewer', null] as const) {
      const { key } = await newMember('org-a', orgRole, appRole ? { a1: appRole } : {});
      principals.push({
        name: `member ${orgRole}/${appRole ?? 'none'}`,
        p: { kind: 'member', orgRole, appRole },
        key,
      });
    }
  }
  for (const app of ['a1', 'a2', 'b1'] as const) {
    for (const role of ['producer', 'viewer'] as const) {
      const { key } = await newAppKey(app, role);
      principals.push({ name: `${app} ${role} key`, p: { kind: 'app', role, app }, key });
    }
  }
  return { principals, admin, newAppKey, newMember };
}
