import type { MemberCreate, MemberPatch } from '@hookline/core';
import {
  createMember,
  deleteMember,
  getMember,
  listApplications,
  listMembers,
  updateMember,
  type AppRole,
  type Member,
} from '@hookline/db';
import type { Caller } from './caller.js';
import { outcome, refuse, type Outcome } from './outcome.js';
import type { TenantWrites } from './organizations.js';
import { foundOrg, type TenantReads } from './tenancy.js';

// Use cases on an organization's members: its owners (and installation admins) manage them.

/** App roles may name only applications of the member's own organization. */
async function checkedAppRoles(
  deps: TenantReads,
  orgId: string,
  appRoles: Record<string, AppRole> | undefined,
): Promise<Record<string, AppRole> | undefined> {
  if (!appRoles) return undefined;
  const own = new Set((await listApplications(deps.knex, orgId)).map((a) => a.id));
  const foreign = Object.keys(appRoles).filter((id) => !own.has(id));
  if (foreign.length > 0)
    refuse('not_found', `No application ${foreign[0]} in organization ${orgId}.`, { unknown: foreign });
  return appRoles;
}

/** Adds a member; the reply carries its key, once (only its hash is kept). */
export function addMember(
  deps: TenantWrites,
  caller: Caller,
  orgId: string,
  input: MemberCreate,
): Promise<Outcome<Member & { key: string }>> {
  return outcome(async () => {
    const org = await foundOrg(deps, caller, orgId, 'manage');
    const appRoles = (await checkedAppRoles(deps, org.id, input.appRoles)) ?? {};
    const member = await createMember(deps.knex, {
      orgId: org.id,
      name: input.name,
      orgRole: input.orgRole,
      appRoles,
    });
    deps.logger.info('member added', { orgId: org.id, memberId: member.id, orgRole: member.orgRole });
    return member;
  });
}

export function listOrgMembers(deps: TenantReads, caller: Caller, orgId: string): Promise<Outcome<Member[]>> {
  return outcome(async () => listMembers(deps.knex, (await foundOrg(deps, caller, orgId, 'manage')).id));
}

async function foundMember(deps: TenantReads, orgId: string, id: string): Promise<Member> {
  const member = await getMember(deps.knex, id);
  if (!member || member.orgId !== orgId)
    return refuse('not_found', `No member ${id} in organization ${orgId}.`);
  return member;
}

/** Changes a member's name or roles; its key sees the change within 5 s (the API's key cache). */
export function changeMember(
  deps: TenantWrites,
  caller: Caller,
  orgId: string,
  id: string,
  input: MemberPatch,
): Promise<Outcome<Member>> {
  return outcome(async () => {
    const org = await foundOrg(deps, caller, orgId, 'manage');
    await foundMember(deps, org.id, id);
    const appRoles = await checkedAppRoles(deps, org.id, input.appRoles);
    const member = await updateMember(deps.knex, id, { ...input, ...(appRoles ? { appRoles } : {}) });
    if (!member) return refuse('not_found', `No member ${id} in organization ${org.id}.`);
    deps.logger.info('member changed', { orgId: org.id, memberId: id, changes: Object.keys(input) });
    return member;
  });
}

/** Removes a member; its key stops working within 5 s. */
export function removeMember(
  deps: TenantWrites,
  caller: Caller,
  orgId: string,
  id: string,
): Promise<Outcome<void>> {
  return outcome(async () => {
    const org = await foundOrg(deps, caller, orgId, 'manage');
    await foundMember(deps, org.id, id);
    await deleteMember(deps.knex, id);
    deps.logger.info('member removed', { orgId: org.id, memberId: id });
  });
}
