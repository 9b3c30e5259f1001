import type { AppRole, OrgRole, Role } from '@hookline/db';
import { refuse } from './outcome.js';

/**
 * Who asks: what every use case checks its request against (tenancy.ts holds the rules). One of
 * - an installation key (HOOKLINE_ADMIN_KEY or `/v1/api-keys`): its role on every application;
 * - an app key (`/v1/apps/:app/api-keys`): producer or viewer of one application;
 * - a member of an organization (Mix's model): an org role, and an app role per application;
 * - a portal token (`/v1/apps/:app/portal-access`): one application's webhooks, for that
 *   application's customers in the portal, read-only or not, until it expires.
 * Installation and app keys may be scoped to event types (null: every type). The CLI acts as an
 * installation admin (it holds the database's credentials).
 */
export type Caller =
  | { kind: 'installation'; name: string; role: Role; eventTypes: readonly string[] | null }
  | {
      kind: 'app';
      name: string;
      appId: string;
      orgId: string;
      role: 'producer' | 'viewer';
      eventTypes: readonly string[] | null;
    }
  | {
      kind: 'member';
      name: string;
      memberId: string;
      orgId: string;
      orgRole: OrgRole;
      appRoles: Readonly<Record<string, AppRole>>;
    }
  | { kind: 'portal'; name: string; appId: string; orgId: string; readOnly: boolean; expiresAt: Date };

export const OPERATOR: Caller = { kind: 'installation', name: 'operator', role: 'admin', eventTypes: null };

/** The event types a caller is limited to (null: every type); members and portal tokens never are. */
export const scopeOf = (caller: Caller): readonly string[] | null =>
  'eventTypes' in caller ? caller.eventTypes : null;

/** A scoped key sees only webhooks subscribed to one of its types. */
export function mayView(caller: Caller, webhook: { events: readonly string[] }): boolean {
  const scope = scopeOf(caller);
  return !scope || webhook.events.some((t) => scope.includes(t));
}

/** Refuses a scoped key a webhook of none of its types. */
export function requireScope(caller: Caller, webhook: { events: readonly string[] }): void {
  if (!mayView(caller, webhook))
    refuse('forbidden', `This key sees only webhooks subscribed to ${scopeOf(caller)!.join(', ')}.`);
}
