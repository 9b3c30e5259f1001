import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Knex } from 'knex';
import { findApiKey, findMemberByKey, findPortalToken, getApplication, type Role } from '@hookline/db';
import type { Caller } from '@hookline/use-cases';
import { ApiError } from './api-error.js';
import { refreshingCache } from './refreshing-cache.js';

declare module 'express-serve-static-core' {
  interface Locals {
    caller?: Caller;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** How long a key's lookup is trusted: a revoked key, a removed member or a changed role takes effect within this. */
const KEY_CACHE_MS = 5000;
const KEY_CACHE_MAX = 10_000;

/** Who a stored key is: an installation or app key (api_keys), a portal token, or a member (members). */
async function callerOfKey(knex: Knex, key: string): Promise<Caller | undefined> {
  const apiKey = await findApiKey(knex, key);
  if (apiKey?.appId === null) {
    return { kind: 'installation', name: apiKey.name, role: apiKey.role, eventTypes: apiKey.eventTypes };
  }
  if (apiKey) {
    const app = await getApplication(knex, apiKey.appId);
    if (!app) return undefined;
    return {
      kind: 'app',
      name: apiKey.name,
      appId: app.id,
      orgId: app.orgId,
      role: apiKey.role === 'producer' ? 'producer' : 'viewer',
      eventTypes: apiKey.eventTypes,
    };
  }
  const portal = key.startsWith('hkp_') ? await findPortalToken(knex, key) : undefined;
  if (portal) {
    const app = await getApplication(knex, portal.appId);
    if (!app) return undefined;
    return {
      kind: 'portal',
      name: `portal of ${app.id}`,
      appId: app.id,
      orgId: app.orgId,
      readOnly: portal.readOnly,
      expiresAt: portal.expiresAt,
    };
  }
  const member = await findMemberByKey(knex, key);
  if (!member) return undefined;
  return {
    kind: 'member',
    name: member.name,
    memberId: member.id,
    orgId: member.orgId,
    orgRole: member.orgRole,
    appRoles: member.appRoles,
  };
}

/**
 * Bearer auth: the bootstrap HOOKLINE_ADMIN_KEY (compared in constant time), or a stored key
 * (installation, app or member key: looked up by hash, and remembered for KEY_CACHE_MS so ingest
 * does not pay a query per request). Sets `res.locals.caller`.
 */
export type Authenticate = (req: Request, res: Response, next: NextFunction) => Promise<void>;

export function authenticate(knex: Knex, adminKey: string | undefined): Authenticate {
  const adminDigest = adminKey ? digest(adminKey) : undefined;
  const storedCaller = refreshingCache({
    maxAgeMs: KEY_CACHE_MS,
    max: KEY_CACHE_MAX,
    load: (key) => callerOfKey(knex, key),
  });
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match)
      return next(new ApiError('unauthorized', 'Send an API key as "Authorization: Bearer <key>".'));
    const key = match[1]!;
    if (adminDigest && timingSafeEqual(digest(key), adminDigest)) {
      res.locals.caller = {
        kind: 'installation',
        name: 'HOOKLINE_ADMIN_KEY',
        role: 'admin',
        eventTypes: null,
      };
      return next();
    }
    try {
      const caller = await storedCaller(key);
      if (!caller) return next(new ApiError('unauthorized', 'Unknown API key.'));
      if (caller.kind === 'portal' && caller.expiresAt.getTime() <= Date.now())
        return next(new ApiError('token_expired', 'This portal link has expired; ask for a new one.'));
      res.locals.caller = caller;
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Lets the request through only for installation keys of the given roles (admin is always allowed). */
export function requireRole(...roles: Role[]) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const caller = res.locals.caller;
    if (caller?.kind === 'installation' && (caller.role === 'admin' || roles.includes(caller.role)))
      return next();
    next(
      new ApiError(
        'forbidden',
        `This needs an installation key with role ${['admin', ...roles].join(' or ')}.`,
      ),
    );
  };
}

/** Lets any authenticated caller through: the route's use case checks what it may do. */
export function requireCaller(_req: Request, res: Response, next: NextFunction): void {
  next(res.locals.caller ? undefined : new ApiError('unauthorized', 'Send Authorization: Bearer <key>.'));
}

/** The use cases' caller: the authenticated key (routes without a key never ask). */
export function callerOf(res: Response): Caller {
  const caller = res.locals.caller;
  if (!caller) throw new ApiError('unauthorized', 'Send Authorization: Bearer <key>.');
  return caller;
}
