import { listApplications, listOrganizations } from '@hookline/db';
import type { Caller } from './caller.js';
import type { TenantReads } from './tenancy.js';

/** What a key may reach: `GET /v1/me`, and the dashboard's organization/application switcher. */
export interface Reach {
  kind: Caller['kind'];
  name: string;
  /** The key's role: an installation or app key's; a member's org role. */
  role?: string;
  orgs: { id: string; role: string }[];
  apps: { id: string; orgId: string; role: string }[];
}

/**
 * Installation keys reach every organization and application with their role; a member its
 * organization (org role) and the applications it holds an app role on; an app key its
 * application.
 */
export async function reachOf(deps: TenantReads, caller: Caller): Promise<Reach> {
  if (caller.kind === 'installation') {
    const [orgs, apps] = await Promise.all([listOrganizations(deps.knex), listApplications(deps.knex)]);
    return {
      kind: caller.kind,
      name: caller.name,
      role: caller.role,
      orgs: orgs.map((o) => ({ id: o.id, role: caller.role })),
      apps: apps.map((a) => ({ id: a.id, orgId: a.orgId, role: caller.role })),
    };
  }
  if (caller.kind === 'app') {
    return {
      kind: caller.kind,
      name: caller.name,
      role: caller.role,
      orgs: [],
      apps: [{ id: caller.appId, orgId: caller.orgId, role: caller.role }],
    };
  }
  const apps = await listApplications(deps.knex, caller.orgId);
  return {
    kind: caller.kind,
    name: caller.name,
    role: caller.orgRole,
    orgs: [{ id: caller.orgId, role: caller.orgRole }],
    apps: apps.flatMap((a) => {
      const role = caller.appRoles[a.id];
      return role ? [{ id: a.id, orgId: a.orgId, role }] : [];
    }),
  };
}
