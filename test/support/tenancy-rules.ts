// The contract's tenancy rules, restated by the tests (not imported from the implementation):
// the isolation matrix and the tenancy property test check the API against these.

export type OrgRole = 'owner' | 'member' | 'viewer';
export type AppRole = 'owner' | 'viewer';
export type Principal =
  | { kind: 'none' }
  | { kind: 'installation'; role: 'admin' | 'producer' | 'viewer' }
  /** A member of org-a, with an app role on a1 (or none). */
  | { kind: 'member'; orgRole: OrgRole; appRole: AppRole | null }
  | { kind: 'app'; role: 'producer' | 'viewer'; app: AppId }
  /** A portal token of an application: live, past its expiry, or revoked. */
  | { kind: 'portal'; app: AppId; readOnly: boolean; state: 'live' | 'expired' | 'revoked' };

/** The tenants: organization default (its application default), org-a (a1, a2), org-b (b1). */
export type AppId = 'default' | 'a1' | 'a2' | 'b1';
export type OrgId = 'default' | 'org-a' | 'org-b';
const ORG_OF: Record<AppId, OrgId> = { default: 'default', a1: 'org-a', a2: 'org-a', b1: 'org-b' };
export const APPS: AppId[] = ['default', 'a1', 'a2', 'b1'];

/**
 * What a route takes, in the contract's words:
 * - app routes: `view` (webhooks, deliveries, stats), `queue`, `change` (create, update, delete,
 *   test, enable, rotate-secret, recover, redeliver), `post` (events), `keys` (app keys),
 *   `portal` (hand out and revoke portal links: whoever may change the webhooks),
 *   `app-read` (the application's record), `app-manage` (change or delete it);
 * - organization routes: `org-read`, `org-manage` (its applications and members), `org-create`;
 * - `installation-admin`, `installation-read` (settings, the catalogue's changes, installation keys);
 * - `anyone` with a key (`/v1/me`, the organizations one belongs to, the catalogue); `public`.
 */
export type Rule =
  | 'view'
  | 'queue'
  | 'change'
  | 'post'
  | 'keys'
  | 'portal'
  | 'app-read'
  | 'app-manage'
  | 'org-read'
  | 'org-manage'
  | 'org-create'
  | 'installation-admin'
  | 'installation-read'
  | 'anyone'
  | 'public';

/** Every route's rule, by its unprefixed path (an application route's /v1/apps/{app} twin shares it). */
export const RULES: Record<string, Rule> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'POST /v1/events': 'post',
  'GET /v1/event-types': 'anyone',
  'POST /v1/event-types': 'installation-admin',
  'PATCH /v1/event-types/{name}': 'installation-admin',
  'DELETE /v1/event-types/{name}': 'installation-admin',
  'POST /v1/webhooks': 'change',
  'GET /v1/webhooks': 'view',
  'GET /v1/webhook-health': 'view',
  'GET /v1/webhooks/{id}': 'view',
  'PATCH /v1/webhooks/{id}': 'change',
  'DELETE /v1/webhooks/{id}': 'change',
  'POST /v1/webhooks/{id}/enable': 'change',
  'POST /v1/webhooks/{id}/recover': 'change',
  'POST /v1/webhooks/{id}/rotate-secret': 'change',
  'POST /v1/webhooks/{id}/test': 'change',
  'GET /v1/webhooks/{id}/deliveries': 'view',
  'POST /v1/deliveries/{id}/redeliver': 'change',
  'GET /v1/settings': 'installation-read',
  'PATCH /v1/settings': 'installation-admin',
  'POST /v1/api-keys': 'installation-admin',
  'GET /v1/api-keys': 'installation-admin',
  'DELETE /v1/api-keys/{id}': 'installation-admin',
  'POST /v1/apps/{app}/api-keys': 'keys',
  'GET /v1/apps/{app}/api-keys': 'keys',
  'DELETE /v1/apps/{app}/api-keys/{id}': 'keys',
  'GET /v1/queue': 'queue',
  'GET /v1/stats': 'view',
  'GET /v1/me': 'anyone',
  'POST /v1/orgs': 'org-create',
  'GET /v1/orgs': 'anyone',
  'GET /v1/orgs/{org}': 'org-read',
  'PATCH /v1/orgs/{org}': 'org-manage',
  'DELETE /v1/orgs/{org}': 'org-manage',
  'POST /v1/orgs/{org}/apps': 'org-manage',
  'GET /v1/orgs/{org}/apps': 'org-read',
  'GET /v1/apps/{app}': 'app-read',
  'PATCH /v1/apps/{app}': 'app-manage',
  'DELETE /v1/apps/{app}': 'app-manage',
  'POST /v1/apps/{app}/portal-access': 'portal',
  'DELETE /v1/apps/{app}/portal-access': 'portal',
  'POST /v1/orgs/{org}/members': 'org-manage',
  'GET /v1/orgs/{org}/members': 'org-manage',
  'PATCH /v1/orgs/{org}/members/{id}': 'org-manage',
  'DELETE /v1/orgs/{org}/members/{id}': 'org-manage',
};

export const APP_RULES = new Set<Rule>([
  'view',
  'queue',
  'change',
  'post',
  'keys',
  'portal',
  'app-read',
  'app-manage',
]);

/** The installation roles each rule admits ("admin everything, producer posts, viewer reads"). */
const INSTALLATION: Record<Exclude<Rule, 'public'>, string[]> = {
  view: ['admin', 'viewer'],
  queue: ['admin', 'viewer'],
  change: ['admin'],
  post: ['admin', 'producer'],
  keys: ['admin'],
  portal: ['admin'],
  'app-read': ['admin', 'viewer'],
  'app-manage': ['admin'],
  'org-read': ['admin', 'viewer'],
  'org-manage': ['admin'],
  'org-create': ['admin'],
  'installation-admin': ['admin'],
  'installation-read': ['admin', 'viewer'],
  anyone: ['admin', 'producer', 'viewer'],
};

/** Mix's rules for a member of the application's organization (app role on that application). */
function memberMay(rule: Rule, orgRole: OrgRole, appRole: AppRole | null): boolean {
  const writer = orgRole === 'owner' || orgRole === 'member';
  switch (rule) {
    case 'view':
    case 'queue':
      return appRole !== null;
    case 'change':
    case 'post':
    case 'portal':
      return appRole !== null && writer;
    case 'keys':
      return orgRole === 'owner' || (appRole === 'owner' && writer);
    case 'app-read':
    case 'org-read':
      return true;
    case 'app-manage':
    case 'org-manage':
      return orgRole === 'owner';
    default:
      return false;
  }
}

/** An app key: a viewer views (and reads the queue), a producer posts, either reads its application's record. */
function appKeyMay(rule: Rule, role: 'producer' | 'viewer'): boolean {
  return (
    rule === 'app-read' ||
    ((rule === 'view' || rule === 'queue') && role === 'viewer') ||
    (rule === 'post' && role === 'producer')
  );
}

/** A portal token: its application's webhooks, deliveries and stats; changes unless read-only. */
const portalMay = (rule: Rule, readOnly: boolean): boolean =>
  rule === 'view' || (rule === 'change' && !readOnly);

export type Outcome = 'allowed' | '401' | '403' | '404';

/** Where a request goes: the application or organization in its path, and whose object its {id} is. */
export interface Target {
  app?: AppId;
  org?: OrgId;
  /** The application (app routes) or organization (members) the object named by {id} belongs to. */
  owner?: AppId | OrgId;
}

export function expected(rule: Rule, p: Principal, t: Target): Outcome {
  if (rule === 'public') return 'allowed';
  if (p.kind === 'none') return '401';
  if (p.kind === 'portal' && p.state !== 'live') return '401';
  const objectMismatch = t.owner !== undefined && t.owner !== (t.app ?? t.org);
  if (p.kind === 'installation') {
    if (!INSTALLATION[rule].includes(p.role)) return '403';
    return objectMismatch ? '404' : 'allowed';
  }
  if (rule === 'anyone') return 'allowed';
  if (rule === 'installation-admin' || rule === 'installation-read' || rule === 'org-create') return '403';
  if (APP_RULES.has(rule)) {
    const app = t.app!;
    if (p.kind === 'app' || p.kind === 'portal') {
      if (p.app !== app) return '404';
      if (p.kind === 'app' ? !appKeyMay(rule, p.role) : !portalMay(rule, p.readOnly)) return '403';
    } else {
      if (ORG_OF[app] !== 'org-a') return '404';
      if (!memberMay(rule, p.orgRole, app === 'a1' ? p.appRole : null)) return '403';
    }
    return objectMismatch ? '404' : 'allowed';
  }
  // Organization routes: members of org-a reach it; an app key or portal token is refused its own organization.
  const org = t.org!;
  if (p.kind === 'app' || p.kind === 'portal') return ORG_OF[p.app] === org ? '403' : '404';
  if (org !== 'org-a') return '404';
  if (!memberMay(rule, p.orgRole, null)) return '403';
  return objectMismatch ? '404' : 'allowed';
}

export function outcomeOf(status: number): Outcome | `${number}` {
  if (status === 401 || status === 403 || status === 404) return String(status) as Outcome;
  if ((status >= 200 && status < 300) || status === 409) return 'allowed';
  return String(status) as `${number}`;
}
