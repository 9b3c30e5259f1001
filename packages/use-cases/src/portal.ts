import type { PortalAccess } from '@hookline/core';
import { createPortalToken, revokePortalTokens } from '@hookline/db';
import type { Caller } from './caller.js';
import type { TenantWrites } from './organizations.js';
import { outcome, type Outcome } from './outcome.js';
import { foundApp } from './tenancy.js';

// Portal links: an application's customers manage their own endpoints in the portal, with a
// token for that application's webhook routes alone (tenancy.ts says what it may do). Handed out
// and revoked by whoever may change the application's webhooks.

export interface PortalWrites extends TenantWrites {
  /** PUBLIC_URL: where the portal's link points. */
  publicUrl: string;
}

export interface PortalLink {
  /** The portal's address with the token in its fragment, which browsers never send to a server. */
  url: string;
  token: string;
  expiresAt: Date;
}

/** A new portal link for the application's customers; its token is in this reply only. */
export function grantPortalAccess(
  deps: PortalWrites,
  caller: Caller,
  appId: string,
  input: PortalAccess,
  now: Date = new Date(),
): Promise<Outcome<PortalLink>> {
  return outcome(async () => {
    const app = await foundApp(deps, caller, appId, 'portal');
    const expiresAt = new Date(now.getTime() + input.expiresInSeconds * 1000);
    const { token } = await createPortalToken(deps.knex, {
      appId: app.id,
      readOnly: input.readOnly,
      expiresAt,
    });
    deps.logger.info('portal link created', { appId: app.id, readOnly: input.readOnly, expiresAt });
    const base = deps.publicUrl.replace(/\/+$/, '');
    return { url: `${base}/portal/#token=${token}`, token, expiresAt };
  });
}

/** Revokes every portal link of the application (each process stops honouring them within 5 s). */
export function revokePortalAccess(
  deps: TenantWrites,
  caller: Caller,
  appId: string,
): Promise<Outcome<void>> {
  return outcome(async () => {
    const app = await foundApp(deps, caller, appId, 'portal');
    const revoked = await revokePortalTokens(deps.knex, app.id);
    deps.logger.info('portal links revoked', { appId: app.id, revoked });
  });
}
