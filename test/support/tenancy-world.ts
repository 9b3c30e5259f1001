import { createHash } from 'node:crypto';
import type { Harness } from '@hookline/testing';
import type { AppId, AppRole, OrgId, OrgRole, Principal } from './tenancy-rules.js';

// The tenants and callers the tenancy tests act with: organizations org-a (applications a1, a2)
// and org-b (b1) beside default; installation keys of each role; members of org-a with each org
// role × app role on a1 (owner, viewer, none); producer and viewer keys of a1, a2 and b1; portal
// tokens of a1 (read-write, read-only, expired), a2 (read-write, and one revoked) and b1.

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
  /** Gives the portal principals fresh tokens (after a test revoked an application's). */
  mintPortalTokens(): Promise<void>;
}

const PORTALS: Extract<Principal, { kind: 'portal' }>[] = [
  { kind: 'portal', app: 'a1', readOnly: false, state: 'live' },
  { kind: 'portal', app: 'a1', readOnly: true, state: 'live' },
  { kind: 'portal', app: 'a1', readOnly: false, state: 'expired' },
  { kind: 'portal', app: 'a2', readOnly: false, state: 'revoked' },
  { kind: 'portal', app: 'a2', readOnly: false, state: 'live' },
  { kind: 'portal', app: 'b1', readOnly: false, state: 'live' },
];

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
  const portalName = (p: (typeof PORTALS)[number]) =>
    `${p.app} portal${p.readOnly ? ' read-only' : ''}${p.state === 'live' ? '' : ` ${p.state}`}`;
  for (const p of PORTALS) principals.push({ name: portalName(p), p, key: null });
  const newPortalToken = async (app: AppId, readOnly: boolean) =>
    (await admin<{ token: string }>('POST', `/v1/apps/${app}/portal-access`, { readOnly })).token;
  async function mintPortalTokens(): Promise<void> {
    // Revoked first: revoking takes every token of the application, and the live ones come after.
    const keys = new Map<(typeof PORTALS)[number], string>();
    for (const p of PORTALS.filter((q) => q.state === 'revoked')) {
      keys.set(p, await newPortalToken(p.app, p.readOnly));
      await admin('DELETE', `/v1/apps/${p.app}/portal-access`);
    }
    for (const p of PORTALS.filter((q) => q.state !== 'revoked')) {
      const token = await newPortalToken(p.app, p.readOnly);
      if (p.state === 'expired') {
        await h.db
          .knex('portal_tokens')
          .where({ token_hash: sha256(token) })
          .update({ expires_at: new Date(0) });
      }
      keys.set(p, token);
    }
    for (const principal of principals)
      if (principal.p.kind === 'portal') principal.key = keys.get(principal.p)!;
  }
  await mintPortalTokens();
  return { principals, admin, newAppKey, newMember, mintPortalTokens };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
