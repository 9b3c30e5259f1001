// @ts-check
// Who signed in and which application the screens act on: GET /v1/me's answer (what the key may
// reach, and what it may do to each application), and the application picked in the switcher,
// kept for this tab.
import { api } from './api.js';

const APP = 'hookline.app';

/**
 * @typedef {{ view: boolean, queue: boolean, change: boolean, post: boolean, keys: boolean,
 *   portal: boolean, manage: boolean }} Abilities
 * @typedef {{ kind: string, name: string, role?: string,
 *   orgs: { id: string, role: string, can: { manage: boolean } }[],
 *   apps: { id: string, orgId: string, role: string, can: Abilities }[],
 *   portal?: { appName: string, accent: string | null, readOnly: boolean, expiresAt: string } }} Reach
 */

/** @type {Reach | undefined} */
let reach;

/** Asks who the key is; keeps the application picked before when the key still reaches it. */
export async function loadReach() {
  reach = /** @type {Reach} */ (await api('GET', '/v1/me'));
  const kept = sessionStorage.getItem(APP);
  if (!reach.apps.some((a) => a.id === kept)) {
    const first = reach.apps.find((a) => a.id === 'default') ?? reach.apps[0];
    if (first) sessionStorage.setItem(APP, first.id);
    else sessionStorage.removeItem(APP);
  }
  return reach;
}

export const forgetReach = () => {
  reach = undefined;
  sessionStorage.removeItem(APP);
};

/** @returns {Reach} */
export const who = () => /** @type {Reach} */ (reach);

export const currentApp = () => sessionStorage.getItem(APP) ?? 'default';

/** Switches the screens to another application. */
export function pickApp(id) {
  sessionStorage.setItem(APP, id);
  window.dispatchEvent(new Event('hookline:route'));
}

/** An application route of the API, for the current application: `/v1/webhooks` → `/v1/apps/<app>/webhooks`. */
export const appPath = (path) => `/v1/apps/${encodeURIComponent(currentApp())}${path.slice('/v1'.length)}`;

const current = () => reach?.apps.find((a) => a.id === currentApp());

/** Whether the key may do this to the current application (the API refuses otherwise). */
export const can = (/** @type {keyof Abilities} */ ability) => Boolean(current()?.can[ability]);

/** The current application's organization, when the key may manage it (its members). */
export const managedOrg = () => {
  const orgId = current()?.orgId;
  return reach?.orgs.find((o) => o.id === orgId && o.can.manage)?.id;
};

/** Installation keys reach settings and the catalogue's changes; `admin` also Bull Board. */
export const installationRole = () => (reach?.kind === 'installation' ? reach.role : undefined);
