import type { Knex } from 'knex';
import {
  getApplication,
  getOrganization,
  type Application,
  type AppRole,
  type OrgRole,
  type Organization,
  type Role,
} from '@hookline/db';
import type { Caller } from './caller.js';
import { outcome, refuse, type Outcome } from './outcome.js';

// Who may do what to which tenant: Mix's rules, written once. Every use case that touches an
// application or an organization starts with foundApp or foundOrg.

/**
 * What a caller does to an application:
 * - `view`: read its webhooks, their deliveries and its stats;
 * - `queue`: read its queue;
 * - `change`: create, update, delete, test, enable, rotate, recover, redeliver its webhooks;
 * - `post`: post events to it;
 * - `keys`: create, list and revoke its app keys;
 * - `portal`: hand out and revoke its customers' portal links;
 * - `see`: read the application's own record (name, description, limits);
 * - `manage`: change or delete the application.
 * And to an organization: `see` it and its applications, `manage` it (its applications and
 * members), `create` one (the installation's).
 */
export type AppAccess = 'view' | 'queue' | 'change' | 'post' | 'keys' | 'portal' | 'see' | 'manage';
export type OrgAccess = 'see' | 'manage' | 'create';

/**
 * The installation roles each access takes; the API documents them as a route's `x-roles`.
 * (Installation keys reach every application: admin everything, producer posts, viewer reads.)
 */
export const INSTALLATION_ROLES = {
  app: {
    view: ['admin', 'viewer'],
    queue: ['admin', 'viewer'],
    change: ['admin'],
    post: ['admin', 'producer'],
    keys: ['admin'],
    portal: ['admin'],
    see: ['admin', 'viewer'],
    manage: ['admin'],
  },
  org: {
    see: ['admin', 'viewer'],
    manage: ['admin'],
    create: ['admin'],
  },
} as const satisfies { app: Record<AppAccess, readonly Role[]>; org: Record<OrgAccess, readonly Role[]> };

const WHAT: Record<AppAccess, string> = {
  view: 'Viewing the webhooks of',
  queue: 'Reading the queue of',
  change: 'Changing the webhooks of',
  post: 'Posting events to',
  keys: 'Managing the keys of',
  portal: 'Handing out portal links of',
  see: 'Reading',
  manage: 'Changing or deleting',
};

const either = (roles: readonly string[]) => roles.join(' or ');

function requireInstallationRole(
  caller: Extract<Caller, { kind: 'installation' }>,
  roles: readonly Role[],
): void {
  if (!roles.includes(caller.role))
    refuse('forbidden', `This needs an installation key with role ${either(roles)}.`);
}

const APP_ROLES: readonly AppRole[] = ['owner', 'viewer'];
const WRITING_ORG_ROLES: readonly OrgRole[] = ['owner', 'member'];

/**
 * Mix's rules for a member of the application's organization: undefined when allowed, else the
 * roles it needs. To change webhooks (or post events, or hand out portal links, which change
 * them): app role owner or viewer and org role owner or member; to view them (or the queue): app
 * role owner or viewer and any org role; to manage keys: org owner, or app owner with org role
 * owner or member; to manage the application: org owner; to read its record: any member of its
 * organization.
 */
function memberNeeds(orgRole: OrgRole, appRole: AppRole | undefined, access: AppAccess): string | undefined {
  const hasAppRole = appRole !== undefined && APP_ROLES.includes(appRole);
  switch (access) {
    case 'see':
      return undefined;
    case 'view':
    case 'queue':
      return hasAppRole ? undefined : 'app role owner or viewer and org role owner, member or viewer';
    case 'change':
    case 'post':
    case 'portal':
      return hasAppRole && WRITING_ORG_ROLES.includes(orgRole)
        ? undefined
        : 'app role owner or viewer and org role owner or member';
    case 'keys':
      return orgRole === 'owner' || (appRole === 'owner' && WRITING_ORG_ROLES.includes(orgRole))
        ? undefined
        : 'org role owner, or app role owner with org role owner or member';
    case 'manage':
      return orgRole === 'owner' ? undefined : 'org role owner';
  }
}

/** Where applications are read from: the database, or ingest's short-lived cache of it. */
export interface AppSource {
  application(id: string): Promise<Application | undefined>;
}

export interface TenantReads {
  knex: Knex;
  /** Ingest reads applications through a cache (Default: the database). */
  apps?: AppSource;
}

const readApp = (deps: TenantReads, id: string) =>
  deps.apps ? deps.apps.application(id) : getApplication(deps.knex, id);

/**
 * The application `appId`, once the caller may `access` it. An application the caller cannot
 * reach (another organization's, or for an app key any other application) answers not_found,
 * exactly as one that does not exist; inside its reach, a missing role answers forbidden, naming
 * the roles needed. Installation keys are checked on their role first: they reach everything.
 */
export async function foundApp(
  deps: TenantReads,
  caller: Caller,
  appId: string,
  access: AppAccess,
): Promise<Application> {
  if (caller.kind === 'installation') requireInstallationRole(caller, INSTALLATION_ROLES.app[access]);
  const app = await readApp(deps, appId);
  if (!app || !reaches(caller, app)) return refuse('not_found', `No application ${appId}.`);
  const denial = roleDenial(caller, app, access);
  if (denial) refuse('forbidden', denial.message, denial.details);
  return app;
}

/**
 * Whether the application is in the caller's reach: another organization's is not, nor for an
 * app key or a portal token any but its own.
 */
function reaches(caller: Caller, app: Application): boolean {
  if (caller.kind === 'installation') return true;
  return caller.kind === 'member' ? caller.orgId === app.orgId : caller.appId === app.id;
}

/** Why a member or app key, inside its reach, may not `access` the application; undefined when it may. */
function roleDenial(
  caller: Caller,
  app: Application,
  access: AppAccess,
): { message: string; details?: unknown } | undefined {
  if (caller.kind === 'portal') {
    if (access === 'view' || (access === 'change' && !caller.readOnly)) return undefined;
    if (access === 'change') return { message: 'This portal link only reads: it may not change webhooks.' };
    return {
      message: `A portal link reaches the webhooks, deliveries and stats of application ${app.id} only.`,
    };
  }
  if (caller.kind === 'app') {
    const allowed =
      access === 'see' ||
      (access === 'view' || access === 'queue' ? 'viewer' : access === 'post' ? 'producer' : null);
    if (allowed === true || allowed === caller.role) return undefined;
    return { message: `${WHAT[access]} application ${app.id} needs ${needsOfAppKey(access)}.` };
  }
  if (caller.kind === 'member') {
    const appRole = caller.appRoles[app.id];
    const needs = memberNeeds(caller.orgRole, appRole, access);
    if (!needs) return undefined;
    return {
      message: `${WHAT[access]} application ${app.id} needs ${needs}; this member has org role ${caller.orgRole} and app role ${appRole ?? 'none'}.`,
      details: { needs, orgRole: caller.orgRole, appRole: appRole ?? null },
    };
  }
  return undefined;
}

/** Whether the caller may `access` the application: foundApp's answer, without reading or refusing. */
export function mayAccess(caller: Caller, app: Application, access: AppAccess): boolean {
  if (caller.kind === 'installation')
    return (INSTALLATION_ROLES.app[access] as readonly Role[]).includes(caller.role);
  return reaches(caller, app) && roleDenial(caller, app, access) === undefined;
}

function needsOfAppKey(access: AppAccess): string {
  if (access === 'view' || access === 'queue') return 'an app key with role viewer';
  if (access === 'post') return 'an app key with role producer';
  return 'an installation key or a member with the roles for it';
}

/**
 * The organization `orgId`, once the caller may `access` it: installation keys by role; members
 * of it by org role (any to see it, owner to manage it); anyone else answers not_found. An app key
 * or portal token may not act on its organization (forbidden), nor reach another (not_found).
 */
export async function foundOrg(
  deps: TenantReads,
  caller: Caller,
  orgId: string,
  access: Exclude<OrgAccess, 'create'>,
): Promise<Organization> {
  if (caller.kind === 'installation') requireInstallationRole(caller, INSTALLATION_ROLES.org[access]);
  const org = await getOrganization(deps.knex, orgId);
  if (!org || (caller.kind !== 'installation' && caller.orgId !== org.id))
    return refuse('not_found', `No organization ${orgId}.`);
  if (caller.kind === 'app' || caller.kind === 'portal')
    refuse(
      'forbidden',
      `An app key or portal link acts on its application only, not on organization ${org.id}.`,
    );
  if (caller.kind === 'member' && access === 'manage' && caller.orgRole !== 'owner') {
    refuse(
      'forbidden',
      `Managing organization ${org.id} needs org role owner; this member has org role ${caller.orgRole}.`,
      {
        needs: 'org role owner',
        orgRole: caller.orgRole,
      },
    );
  }
  return org;
}

/** Creating an organization is the installation's: it takes an installation admin key. */
export function requireInstallationAdmin(caller: Caller): void {
  if (caller.kind !== 'installation') refuse('forbidden', 'This needs an installation key with role admin.');
  requireInstallationRole(caller, INSTALLATION_ROLES.org.create);
}

/** Whether the caller may change the application's webhooks: who else sees secrets redacted. */
export const mayChangeWebhooks = (caller: Caller, app: Application): boolean =>
  mayAccess(caller, app, 'change');

/**
 * Whether the caller may act on a tenant route's application or organization at all: the API asks
 * this before it reads the request's input, so that a caller who may not act hears 404 or 403
 * rather than a validation error. The same checks as the use cases' (which ask again).
 */
export function checkAccess(
  deps: TenantReads,
  caller: Caller,
  target: { app: string; access: AppAccess } | { org: string | undefined; access: OrgAccess },
): Promise<Outcome<void>> {
  return outcome(async () => {
    if ('app' in target) {
      await foundApp(deps, caller, target.app, target.access);
    } else if (target.access === 'create') {
      requireInstallationAdmin(caller);
    } else if (target.org !== undefined) {
      await foundOrg(deps, caller, target.org, target.access);
    }
  });
}
