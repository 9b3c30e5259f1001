import { parse } from 'cookie';
import type { NextFunction, Request, Response } from 'express';

/** The cookie that carries the admin key to pages the browser loads itself (Bull Board). */
const SESSION_COOKIE = 'hookline_admin';
/** A dashboard sign-in lasts this long (8 hours), then the key is asked for again. */
const SESSION_MAX_AGE_MS = 8 * 3600 * 1000;

/**
 * Browser navigations cannot send a Bearer header, so under /admin the session cookie stands in
 * for it; the API's own authentication then decides, exactly as for any API client. The cookie is
 * HttpOnly, SameSite=Strict (no cross-site request carries it) and scoped to /admin.
 */
export function cookieAsBearer(req: Request, _res: Response, next: NextFunction): void {
  const key = parse(req.headers.cookie ?? '')[SESSION_COOKIE];
  if (!req.headers.authorization && key) req.headers.authorization = `Bearer ${key}`;
  next();
}

export function setSessionCookie(req: Request, res: Response, key: string): void {
  res.cookie(SESSION_COOKIE, key, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/admin',
    maxAge: SESSION_MAX_AGE_MS,
  });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { path: '/admin' });
}
