import { z } from 'zod';
import {
  appCreateSchema,
  appPatchSchema,
  memberCreateSchema,
  memberPatchSchema,
  orgCreateSchema,
  orgPatchSchema,
  portalAccessSchema,
} from '@hookline/core';
import {
  addMember,
  changeMember,
  createApp,
  createOrg,
  deleteApp,
  deleteOrg,
  grantPortalAccess,
  listApps,
  listOrgMembers,
  listOrgs,
  reachOf,
  removeMember,
  renameOrg,
  revokePortalAccess,
  showApp,
  showOrg,
  updateApp,
} from '@hookline/use-cases';
import { unwrap } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { callerOf } from '../auth.js';
import {
  applicationSchema,
  memberCreatedSchema,
  memberSchema,
  organizationSchema,
  portalLinkSchema,
  reachSchema,
} from '../response-schemas.js';
import { route, type Route } from '../route.js';

const orgPath = '/v1/orgs/{org}';
const appPath = '/v1/apps/{app}';
const param = (params: Record<string, unknown>, name: 'org' | 'app' | 'id') => params[name] as string;

/** Organizations, their applications and members, and `/v1/me` (Mix's model; rules in use-cases' tenancy.ts). */
export function tenantRoutes(deps: ApiDeps): Route[] {
  const writes = { knex: deps.knex, logger: deps.engine.logger };
  const portalWrites = { ...writes, publicUrl: deps.engine.publicUrl };

  return [
    route({
      method: 'get',
      path: '/v1/me',
      summary: 'What the presented key may reach: its organizations and applications, with its role on each',
      access: 'authenticated',
      status: 200,
      response: reachSchema,
      handler: async (_req, res) => {
        res.json(await reachOf(deps, callerOf(res)));
      },
    }),

    route({
      method: 'post',
      path: '/v1/orgs',
      summary: 'Create an organization (installation admin)',
      access: { org: 'create' },
      body: orgCreateSchema,
      status: 201,
      response: organizationSchema,
      errors: [400, 409],
      handler: async (_req, res, { body }) => {
        res.status(201).json(unwrap(await createOrg(writes, callerOf(res), body)));
      },
    }),
    route({
      method: 'get',
      path: '/v1/orgs',
      summary: 'The organizations the caller belongs to (all of them for installation keys)',
      access: 'authenticated',
      status: 200,
      response: z.array(organizationSchema),
      handler: async (_req, res) => {
        res.json(unwrap(await listOrgs(deps, callerOf(res))));
      },
    }),
    route({
      method: 'get',
      path: orgPath,
      summary: 'One organization',
      access: { org: 'see' },
      status: 200,
      response: organizationSchema,
      handler: async (req, res) => {
        res.json(unwrap(await showOrg(deps, callerOf(res), param(req.params, 'org'))));
      },
    }),
    route({
      method: 'patch',
      path: orgPath,
      summary: 'Rename an organization (org owner)',
      access: { org: 'manage' },
      body: orgPatchSchema,
      status: 200,
      response: organizationSchema,
      errors: [400],
      handler: async (req, res, { body }) => {
        res.json(unwrap(await renameOrg(writes, callerOf(res), param(req.params, 'org'), body.name)));
      },
    }),
    route({
      method: 'delete',
      path: orgPath,
      summary: 'Delete an organization (org owner); 409 while it holds applications',
      access: { org: 'manage' },
      status: 204,
      errors: [409],
      handler: async (req, res) => {
        unwrap(await deleteOrg(writes, callerOf(res), param(req.params, 'org')));
        res.status(204).end();
      },
    }),

    route({
      method: 'post',
      path: `${orgPath}/apps`,
      summary:
        'Create an application in the organization (org owner); its id is unique across the installation',
      access: { org: 'manage' },
      body: appCreateSchema,
      status: 201,
      response: applicationSchema,
      errors: [400, 409],
      handler: async (req, res, { body }) => {
        res.status(201).json(unwrap(await createApp(writes, callerOf(res), param(req.params, 'org'), body)));
      },
    }),
    route({
      method: 'get',
      path: `${orgPath}/apps`,
      summary: "The organization's applications (any member)",
      access: { org: 'see' },
      status: 200,
      response: z.array(applicationSchema),
      handler: async (req, res) => {
        res.json(unwrap(await listApps(deps, callerOf(res), param(req.params, 'org'))));
      },
    }),
    route({
      method: 'get',
      path: appPath,
      summary: 'One application',
      access: { app: 'see' },
      status: 200,
      response: applicationSchema,
      handler: async (req, res) => {
        res.json(unwrap(await showApp(deps, callerOf(res), param(req.params, 'app'))));
      },
    }),
    route({
      method: 'patch',
      path: appPath,
      summary: "Change an application: name, description, rateLimit, its portal's accent (org owner)",
      access: { app: 'manage' },
      body: appPatchSchema,
      status: 200,
      response: applicationSchema,
      errors: [400],
      handler: async (req, res, { body }) => {
        res.json(unwrap(await updateApp(writes, callerOf(res), param(req.params, 'app'), body)));
      },
    }),
    route({
      method: 'delete',
      path: appPath,
      summary: 'Delete an application with its events and keys (org owner); 409 while it holds webhooks',
      access: { app: 'manage' },
      status: 204,
      errors: [409],
      handler: async (req, res) => {
        unwrap(await deleteApp(writes, callerOf(res), param(req.params, 'app')));
        res.status(204).end();
      },
    }),

    route({
      method: 'post',
      path: `${appPath}/portal-access`,
      summary: "A link to the application's portal for its customers (whoever may change its webhooks)",
      access: { app: 'portal' },
      body: portalAccessSchema,
      status: 201,
      response: portalLinkSchema,
      errors: [400],
      handler: async (req, res, { body }) => {
        res
          .status(201)
          .json(unwrap(await grantPortalAccess(portalWrites, callerOf(res), param(req.params, 'app'), body)));
      },
    }),
    route({
      method: 'delete',
      path: `${appPath}/portal-access`,
      summary: 'Revoke every portal link of the application (within 5 s)',
      access: { app: 'portal' },
      status: 204,
      handler: async (req, res) => {
        unwrap(await revokePortalAccess(writes, callerOf(res), param(req.params, 'app')));
        res.status(204).end();
      },
    }),

    route({
      method: 'post',
      path: `${orgPath}/members`,
      summary: 'Add a member (org owner); the reply carries its key, once',
      access: { org: 'manage' },
      body: memberCreateSchema,
      status: 201,
      response: memberCreatedSchema,
      errors: [400],
      handler: async (req, res, { body }) => {
        res.status(201).json(unwrap(await addMember(writes, callerOf(res), param(req.params, 'org'), body)));
      },
    }),
    route({
      method: 'get',
      path: `${orgPath}/members`,
      summary: "The organization's members (org owner)",
      access: { org: 'manage' },
      status: 200,
      response: z.array(memberSchema),
      handler: async (req, res) => {
        res.json(unwrap(await listOrgMembers(deps, callerOf(res), param(req.params, 'org'))));
      },
    }),
    route({
      method: 'patch',
      path: `${orgPath}/members/{id}`,
      summary: "Change a member's name or roles (org owner); its key sees the change within 5 s",
      access: { org: 'manage' },
      body: memberPatchSchema,
      status: 200,
      response: memberSchema,
      errors: [400],
      handler: async (req, res, { body }) => {
        const { org, id } = { org: param(req.params, 'org'), id: param(req.params, 'id') };
        res.json(unwrap(await changeMember(writes, callerOf(res), org, id, body)));
      },
    }),
    route({
      method: 'delete',
      path: `${orgPath}/members/{id}`,
      summary: 'Remove a member (org owner); its key stops working within 5 s',
      access: { org: 'manage' },
      status: 204,
      handler: async (req, res) => {
        unwrap(await removeMember(writes, callerOf(res), param(req.params, 'org'), param(req.params, 'id')));
        res.status(204).end();
      },
    }),
  ];
}
