import type { Role } from '@hookline/db';
import { refuse } from './outcome.js';

/**
 * Who asks: what every use case checks its request against, written once here. An API key's
 * role, and the event types a scoped key is limited to (null: every type). The CLI acts as an
 * installation admin (it holds the database's credentials).
 */
export interface Caller {
  role: Role;
  eventTypes: readonly string[] | null;
}

export const OPERATOR: Caller = { role: 'admin', eventTypes: null };

/** What a caller does to a webhook: reading it (and its log), or changing or sending to it. */
export type Access = 'view' | 'change';

/** A scoped key sees only webhooks subscribed to one of its types. */
export function mayView(caller: Caller, webhook: { events: readonly string[] }): boolean {
  const scope = caller.eventTypes;
  return !scope || webhook.events.some((t) => scope.includes(t));
}

/**
 * Refuses a caller who may not `access` this webhook: changing takes the admin role; viewing
 * takes the admin or viewer role and, for a scoped key, a webhook of one of its types.
 */
export function authorize(caller: Caller, access: Access, webhook: { events: readonly string[] }): void {
  if (access === 'change' && caller.role !== 'admin') refuse('forbidden', 'This needs the admin role.');
  if (access === 'view' && caller.role === 'producer')
    refuse('forbidden', 'This needs the viewer or admin role.');
  if (!mayView(caller, webhook)) {
    refuse('forbidden', `This key sees only webhooks subscribed to ${caller.eventTypes!.join(', ')}.`);
  }
}
