import { randomBytes } from 'node:crypto';
import { z } from 'zod';

// The shapes of tenants (Mix's model): organizations, their applications and members. Declared
// once here: the API's request schemas, the use cases' input types and the CLI's checks derive
// from them.

/** The application every installation has, which the unprefixed routes act on, and its organization. */
export const DEFAULT_APP = 'default';
export const DEFAULT_ORG = 'default';

/** Ids of organizations and applications: slugs, given at creation or generated. */
const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'ids are 1 to 63 lowercase letters, digits, "-" or "_", starting with a letter or digit',
  );

const nameSchema = z.string().trim().min(1).max(200);

const orgRoleSchema = z.enum(['owner', 'member', 'viewer']);
const appRoleSchema = z.enum(['owner', 'viewer']);

export const orgCreateSchema = z.object({ id: slugSchema.optional(), name: nameSchema }).strict();
export const orgPatchSchema = z.object({ name: nameSchema }).strict();

export const appCreateSchema = z
  .object({
    id: slugSchema.optional(),
    name: nameSchema,
    description: z.string().max(2000).nullable().optional(),
  })
  .strict();

/** How an application's portal looks to its customers. */
export const portalSettingsSchema = z
  .object({
    /** The portal's accent colour. */
    accent: z
      .string()
      .regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'a colour as #rrggbb (or #rgb)')
      .optional(),
  })
  .strict();

export const appPatchSchema = z
  .object({
    name: nameSchema.optional(),
    description: z.string().max(2000).nullable().optional(),
    /** Events per second the application may post, across every ingest process; null: none. */
    rateLimit: z.number().int().min(1).max(1_000_000).nullable().optional(),
    portal: portalSettingsSchema.optional(),
  })
  .strict();

/** A portal link for an application's customers: how long it works, and whether it only reads. */
export const portalAccessSchema = z
  .object({
    expiresInSeconds: z.number().int().min(60).max(604_800).default(3600),
    readOnly: z.boolean().default(false),
  })
  .strict();

const appRolesSchema = z.record(slugSchema, appRoleSchema).refine((r) => Object.keys(r).length <= 1000, {
  message: 'at most 1000 app roles',
});

export const memberCreateSchema = z
  .object({ name: nameSchema, orgRole: orgRoleSchema, appRoles: appRolesSchema.optional() })
  .strict();

export const memberPatchSchema = z
  .object({
    name: nameSchema.optional(),
    orgRole: orgRoleSchema.optional(),
    appRoles: appRolesSchema.optional(),
  })
  .strict();

/** An application's key: producer (posts its events) or viewer (reads its webhooks). */
export const appKeyCreateSchema = z
  .object({
    name: nameSchema,
    role: z.enum(['producer', 'viewer']),
    eventTypes: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
  })
  .strict();

export type OrgCreate = z.infer<typeof orgCreateSchema>;
export type AppCreate = z.infer<typeof appCreateSchema>;
export type AppPatch = z.infer<typeof appPatchSchema>;
export type PortalSettings = z.infer<typeof portalSettingsSchema>;
export type PortalAccess = z.infer<typeof portalAccessSchema>;
export type MemberCreate = z.infer<typeof memberCreateSchema>;
export type MemberPatch = z.infer<typeof memberPatchSchema>;

/** A slug for a new organization or application: its name's, made unique by a random suffix. */
export function newSlug(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return `${base || 'x'}-${randomBytes(4).toString('hex')}`;
}
