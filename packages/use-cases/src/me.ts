import { listApplications, listOrganizations, type Application } from '@hookline/db';
import type { Caller } from './caller.js';
import { mayAccess, type AppAccess, type TenantReads } from './tenancy.js';

/** What the caller may do to an application (the dashboard shows only the controls it may use). */
type AppAbilities = Record<Exclude<AppAccess, 'see'>, boolean>;

/** What a key may reach: `GET /v1/me`, and the dashboard's organization/application switcher. */
export interface Reach {
  kind: Caller['kind'];
  name: string;
  /** The key's role: an installation or app key's; a member's org role. */
  role?: string;
  orgs: { id: string; role: string; can: { manage: boolean } }[];
  apps: { id: string; orgId: string; role: string; can: AppAbilities }[];
  /** A portal token's: how its application's portal looks, whether it only reads, until when. */
  portal?: { appName: string; accent: string | null; readOnly: boolean; expiresAt: Date };
}

const ABILITIES: Exclude<AppAccess, 'see'>[] = [
  'view',
  'queue',
  'change',
  'post',
  'keys',
  'portal',
  'manage',
];

const abilities = (caller: Caller, app: Application) =>
  Object.fromEntries(ABILITIES.map((a) => [a, mayAccess(caller, app, a)])) as AppAbilities;

/**
 * Installation keys reach every organization and application with their role; a member its
 * organization (org role) and the applications it holds an app role on (an org owner: all of its
 * organization's, to manage them); an app key or a portal token its application. Each
 * application says what the caller may do to it (`can`, from the same rules as every use case:
 * tenancy.ts).
 */
export async function reachOf(deps: TenantReads, caller: Caller): Promise<Reach> {
  if (caller.kind === 'installation') {
    const [orgs, apps] = await Promise.all([listOrganizations(deps.knex), listApplications(deps.knex)]);
    return {
      kind: caller.kind,
      name: caller.name,
      role: caller.role,
      orgs: orgs.map((o) => ({ id: o.id, role: caller.role, can: { manage: caller.role === 'admin' } })),
      apps: apps.map((a) => ({ id: a.id, orgId: a.orgId, role: caller.role, can: abilities(caller, a) })),
    };
  }
  const apps = await listApplications(deps.knex, caller.orgId);
  if (caller.kind === 'app' || caller.kind === 'portal') {
    const own = apps.find((a) => a.id === caller.appId)!;
    const role = caller.kind === 'app' ? caller.role : caller.readOnly ? 'portal-read-only' : 'portal';
    return {
      kind: caller.kind,
      name: caller.name,
      role,
      orgs: [],
      apps: [{ id: own.id, orgId: own.orgId, role, can: abilities(caller, own) }],
      ...(caller.kind === 'portal'
        ? {
            portal: {
              appName: own.name,
              accent: own.portal.accent ?? null,
              readOnly: caller.readOnly,
              expiresAt: caller.expiresAt,
            },
          }
        : {}),
    };
  }
  const owner = caller.orgRole === 'owner';
  return {
    kind: caller.kind,
    name: caller.name,
    role: caller.orgRole,
    orgs: [{ id: caller.orgId, role: caller.orgRole, can: { manage: owner } }],
    apps: apps.flatMap((a) => {
      const role = caller.appRoles[a.id];
      if (!role && !owner) return [];
      return [{ id: a.id, orgId: a.orgId, role: role ?? 'none', can: abilities(caller, a) }];
    }),
  };
}
