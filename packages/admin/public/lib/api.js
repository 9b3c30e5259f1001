// @ts-check
// The JSON API (/v1), called with the key the admin signed in with, or in the portal with the
// link's token (kept apart, so that a portal link opened in a dashboard tab signs nobody out).

export const KEY = location.pathname.startsWith('/portal') ? 'hookline.portalToken' : 'hookline.adminKey';

export class ApiFailure extends Error {
  constructor(message, details) {
    super(message);
    // The API's `details`: [{path, message}] for a body that fails validation.
    this.details = Array.isArray(details) ? details : [];
  }
}

/** Events Hookline raises itself: webhooks may subscribe to them (not in /v1/event-types). */
export const SYSTEM_TYPES = ['system.webhook_disabled'];

export async function api(method, path, body) {
  const headers = { authorization: `Bearer ${sessionStorage.getItem(KEY) ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) {
    signOut();
    throw new ApiFailure('Your session ended; sign in again.');
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    throw new ApiFailure(data?.error?.message ?? `HTTP ${res.status}`, data?.error?.details);
  }
  return data;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  if (KEY === 'hookline.adminKey') void fetch('/admin/session', { method: 'DELETE' });
  // The app shows the sign-in screen once no key is kept.
  window.dispatchEvent(new Event('hookline:route'));
}
