import type { CatalogueSource } from '@hookline/core';
import { createApiKey, deleteApiKey, listApiKeys, type ApiKey, type Role } from '@hookline/db';
import type { Caller } from './caller.js';
import { outcome, refuse, type Outcome } from './outcome.js';
import type { TenantWrites } from './organizations.js';
import { foundApp, requireInstallationAdmin, type TenantReads } from './tenancy.js';

// Use cases on API keys: the installation's (`appId` null: admin, producer or viewer on every
// application; installation admins manage them) and an application's (producer or viewer of it
// alone; managed by whoever has the `keys` access to it, see tenancy.ts).

export interface KeyWrites extends TenantWrites {
  catalogue: CatalogueSource;
}

/** Whose keys: the installation's, or the application's once the caller may manage them. */
async function keyOwner(deps: TenantReads, caller: Caller, appId: string | null): Promise<string | null> {
  if (appId === null) {
    requireInstallationAdmin(caller);
    return null;
  }
  return (await foundApp(deps, caller, appId, 'keys')).id;
}

/** A new key; its text is in this reply only (only its SHA-256 is kept). */
export function createKey(
  deps: KeyWrites,
  caller: Caller,
  appId: string | null,
  input: { name: string; role: Role; eventTypes?: readonly string[] | undefined },
): Promise<Outcome<ApiKey & { key: string }>> {
  return outcome(async () => {
    const owner = await keyOwner(deps, caller, appId);
    const catalogue = deps.catalogue.current();
    const unknown = (input.eventTypes ?? []).filter((t) => !catalogue.find(t));
    if (unknown.length > 0) refuse('unknown_event_type', `Unknown event type "${unknown[0]}".`, { unknown });
    const scope = input.eventTypes
      ? [...new Set(input.eventTypes.map((t) => catalogue.find(t)!.name))]
      : null;
    const created = await createApiKey(deps.knex, input.name, input.role, scope, owner);
    deps.logger.info('api key created', {
      keyId: created.id,
      role: created.role,
      name: created.name,
      appId: owner,
    });
    return created;
  });
}

export function listKeys(
  deps: TenantReads,
  caller: Caller,
  appId: string | null,
): Promise<Outcome<ApiKey[]>> {
  return outcome(async () => listApiKeys(deps.knex, await keyOwner(deps, caller, appId)));
}

/** Revokes a key; it stops working within 5 s (the API's key cache). */
export function revokeKey(
  deps: TenantWrites,
  caller: Caller,
  appId: string | null,
  id: string,
): Promise<Outcome<void>> {
  return outcome(async () => {
    const owner = await keyOwner(deps, caller, appId);
    if (!(await deleteApiKey(deps.knex, id, owner))) refuse('not_found', `No API key ${id}.`);
    deps.logger.info('api key revoked', { keyId: id, appId: owner });
  });
}
