import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Knex } from 'knex';
import { findApiKey, type Role } from '@hookline/db';
import type { Caller } from '@hookline/use-cases';
import { ApiError } from './api-error.js';

declare module 'express-serve-static-core' {
  interface Locals {
    principal?: Principal;
  }
}

interface Principal {
  role: Role;
  keyId: string | null;
  /** A scoped key's event types (see ApiKey.eventTypes); null: every type. */
  eventTypes: string[] | null;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** How long a stored key's lookup is trusted; a revoked key stops working within this. */
const KEY_CACHE_MS = 5000;
const KEY_CACHE_MAX = 10_000;

/**
 * Bearer auth: the bootstrap HOOKLINE_ADMIN_KEY (compared in constant time) or a stored key
 * (looked up by hash, and remembered for KEY_CACHE_MS so ingest does not pay a query per
 * request). Sets `res.locals.principal`.
 */
export type Authenticate = (req: Request, res: Response, next: NextFunction) => Promise<void>;

export function authenticate(knex: Knex, adminKey: string | undefined): Authenticate {
  const adminDigest = adminKey ? digest(adminKey) : undefined;
  const cache = new Map<string, { principal: Principal; until: number }>();
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match)
      return next(new ApiError('unauthorized', 'Send an API key as "Authorization: Bearer <key>".'));
    const key = match[1]!;
    if (adminDigest && timingSafeEqual(digest(key), adminDigest)) {
      res.locals.principal = { role: 'admin', keyId: null, eventTypes: null };
      return next();
    }
    const cached = cache.get(key);
    if (cached && cached.until > Date.now()) {
      res.locals.principal = cached.principal;
      return next();
    }
    try {
      const found = await findApiKey(knex, key);
      if (!found) return next(new ApiError('unauthorized', 'Unknown API key.'));
      if (cache.size >= KEY_CACHE_MAX) cache.clear();
      const principal = { role: found.role, keyId: found.id, eventTypes: found.eventTypes };
      cache.set(key, { principal, until: Date.now() + KEY_CACHE_MS });
      res.locals.principal = principal;
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Lets the request through only for the given roles (admin is always allowed). */
export function requireRole(...roles: Role[]) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const role = res.locals.principal?.role;
    if (role === 'admin' || (role && roles.includes(role))) return next();
    next(new ApiError('forbidden', `This needs the ${['admin', ...roles].join(' or ')} role.`));
  };
}

/** The use cases' caller: the authenticated key (routes without a key never ask). */
export function callerOf(res: Response): Caller {
  const principal = res.locals.principal;
  if (!principal) throw new ApiError('unauthorized', 'Send Authorization: Bearer <key>.');
  return { role: principal.role, eventTypes: principal.eventTypes };
}
