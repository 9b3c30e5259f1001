import {
  DEFAULT_APP,
  DEFAULT_ORG,
  newSlug,
  type AppCreate,
  type AppPatch,
  type OrgCreate,
} from '@hookline/core';
import {
  createApplication,
  createOrganization,
  deleteApplication as removeApplication,
  deleteOrganization as removeOrganization,
  isUniqueViolation,
  listApplications,
  listOrganizations,
  renameOrganization,
  updateApplication as changeApplication,
  type Application,
  type Organization,
} from '@hookline/db';
import type { Logger } from '@hookline/logger';
import type { Caller } from './caller.js';
import { outcome, refuse, type Outcome } from './outcome.js';
import { foundApp, foundOrg, requireInstallationAdmin, type TenantReads } from './tenancy.js';

// Use cases on organizations and their applications (Mix's model; the rules are tenancy.ts's).

/** What changing tenants needs. */
export interface TenantWrites extends TenantReads {
  logger: Logger;
}

/** Inserts with the id given, or one made from the name; a taken id is a conflict. */
async function insertWithId<T>(
  given: string | undefined,
  name: string,
  what: string,
  insert: (id: string) => Promise<T>,
) {
  const id = given ?? newSlug(name);
  try {
    return await insert(id);
  } catch (err) {
    if (isUniqueViolation(err)) return refuse('conflict', `The ${what} id ${id} is taken.`);
    throw err;
  }
}

export function createOrg(
  deps: TenantWrites,
  caller: Caller,
  input: OrgCreate,
): Promise<Outcome<Organization>> {
  return outcome(async () => {
    requireInstallationAdmin(caller);
    const org = await insertWithId(input.id, input.name, 'organization', (id) =>
      createOrganization(deps.knex, { id, name: input.name }),
    );
    deps.logger.info('organization created', { orgId: org.id });
    return org;
  });
}

/** The organizations the caller belongs to: all of them for installation keys. */
export function listOrgs(deps: TenantReads, caller: Caller): Promise<Outcome<Organization[]>> {
  return outcome(async () => {
    if (caller.kind === 'installation') return listOrganizations(deps.knex);
    if (caller.kind === 'member') return listOrganizations(deps.knex, [caller.orgId]);
    return [];
  });
}

export function showOrg(deps: TenantReads, caller: Caller, orgId: string): Promise<Outcome<Organization>> {
  return outcome(() => foundOrg(deps, caller, orgId, 'see'));
}

export function renameOrg(
  deps: TenantWrites,
  caller: Caller,
  orgId: string,
  name: string,
): Promise<Outcome<Organization>> {
  return outcome(async () => {
    const org = await foundOrg(deps, caller, orgId, 'manage');
    return (
      (await renameOrganization(deps.knex, org.id, name)) ?? refuse('not_found', `No organization ${orgId}.`)
    );
  });
}

/** Deletes an organization that holds no application (and never `default`). */
export function deleteOrg(deps: TenantWrites, caller: Caller, orgId: string): Promise<Outcome<void>> {
  return outcome(async () => {
    const org = await foundOrg(deps, caller, orgId, 'manage');
    if (org.id === DEFAULT_ORG)
      refuse('conflict', 'Organization default holds the unprefixed routes and stays.');
    const result = await removeOrganization(deps.knex, org.id);
    if (result === 'missing') refuse('not_found', `No organization ${orgId}.`);
    if (result === 'holds_applications')
      refuse('conflict', `Organization ${org.id} holds applications; delete them first.`);
    deps.logger.info('organization deleted', { orgId: org.id });
  });
}

export function createApp(
  deps: TenantWrites,
  caller: Caller,
  orgId: string,
  input: AppCreate,
): Promise<Outcome<Application>> {
  return outcome(async () => {
    const org = await foundOrg(deps, caller, orgId, 'manage');
    const app = await insertWithId(input.id, input.name, 'application', (id) =>
      createApplication(deps.knex, {
        id,
        orgId: org.id,
        name: input.name,
        description: input.description ?? null,
      }),
    );
    deps.logger.info('application created', { appId: app.id, orgId: org.id });
    return app;
  });
}

/** An organization's applications: an app key reaches only its own, so it is refused the list. */
export function listApps(deps: TenantReads, caller: Caller, orgId: string): Promise<Outcome<Application[]>> {
  return outcome(async () => listApplications(deps.knex, (await foundOrg(deps, caller, orgId, 'see')).id));
}

export function showApp(deps: TenantReads, caller: Caller, appId: string): Promise<Outcome<Application>> {
  return outcome(() => foundApp(deps, caller, appId, 'see'));
}

export function updateApp(
  deps: TenantWrites,
  caller: Caller,
  appId: string,
  input: AppPatch,
): Promise<Outcome<Application>> {
  return outcome(async () => {
    const app = await foundApp(deps, caller, appId, 'manage');
    const updated = await changeApplication(deps.knex, app.id, input);
    if (!updated) return refuse('not_found', `No application ${appId}.`);
    deps.logger.info('application changed', { appId: app.id, changes: Object.keys(input) });
    return updated;
  });
}

/** Deletes an application that holds no webhook (and never `default`), with its events and keys. */
export function deleteApp(deps: TenantWrites, caller: Caller, appId: string): Promise<Outcome<void>> {
  return outcome(async () => {
    const app = await foundApp(deps, caller, appId, 'manage');
    if (app.id === DEFAULT_APP)
      refuse('conflict', 'Application default holds the unprefixed routes and stays.');
    const result = await removeApplication(deps.knex, app.id);
    if (result === 'missing') refuse('not_found', `No application ${appId}.`);
    if (result === 'holds_webhooks')
      refuse('conflict', `Application ${app.id} holds webhooks; delete them first.`);
    deps.logger.info('application deleted', { appId: app.id });
  });
}
