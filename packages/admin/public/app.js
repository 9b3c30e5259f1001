// @ts-check
// Hookline dashboard: preact components written with htm (lib/ui.js), plain browser modules with
// no build step, one per screen (screens/). Every figure comes from the JSON API (/v1), called
// with the key signed in with (an installation, member or app key), for the application picked
// in the switcher; what the key may reach and do comes from GET /v1/me (lib/session.js).
import { KEY, signOut } from './lib/api.js';
import { errorText } from './lib/controls.js';
import { clearNotices, notice, Notices } from './lib/messages.js';
import { html, render, useEffect, useState } from './lib/ui.js';
import { can, forgetReach, installationRole, loadReach, managedOrg, who } from './lib/session.js';
import { AppKeys } from './screens/app-keys.js';
import { AppSwitcher } from './screens/app-switcher.js';
import { Members } from './screens/members.js';
import { EventTypes } from './screens/event-types.js';
import { Login } from './screens/login.js';
import { Settings } from './screens/settings.js';
import { webhookScreen } from './screens/webhook-screens.js';

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));

/** The screen the URL's hash names. */
function Screen({ hash }) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'settings') return html`<${Settings} />`;
  if (parts[0] === 'members') return html`<${Members} />`;
  if (parts[0] === 'keys') return html`<${AppKeys} />`;
  if (parts[0] === 'event-types') return html`<${EventTypes} />`;
  return webhookScreen(parts);
}

/**
 * The page: notices above the screen the hash names, or the sign-in screen while no key is kept.
 * Moving to another hash clears the notices; `hookline:route` (signing in or out, a webhook just
 * created) asks for the current screen again and keeps them.
 */
function App() {
  const [at, setAt] = useState({ hash: location.hash, signedIn: Boolean(sessionStorage.getItem(KEY)), n: 0 });
  useEffect(() => {
    const moved = () => {
      clearNotices();
      setAt((a) => ({ ...a, hash: location.hash }));
    };
    const asked = () =>
      setAt((a) => ({ hash: location.hash, signedIn: Boolean(sessionStorage.getItem(KEY)), n: a.n + 1 }));
    window.addEventListener('hashchange', moved);
    window.addEventListener('hookline:route', asked);
    return () => {
      window.removeEventListener('hashchange', moved);
      window.removeEventListener('hookline:route', asked);
    };
  }, []);
  // What the key may reach, asked again on every route event (sign-in, a switch of application).
  const [reached, setReached] = useState(-1);
  useEffect(() => {
    if (!at.signedIn) {
      forgetReach();
      setReached(-1);
      return;
    }
    loadReach().then(
      () => setReached(at.n),
      (err) => notice(errorText(err), true),
    );
  }, [at.signedIn, at.n]);
  const ready = at.signedIn && reached === at.n;
  useEffect(() => {
    nav.hidden = !ready;
    if (ready) showNavFor();
  }, [ready]);
  if (!at.signedIn) return html`<${Notices} /><${Login} />`;
  if (!ready)
    return html`<${Notices} />
      <p class="loading">Loading…</p>`;
  if (who().apps.length === 0)
    return html`<${Notices} />
      <h1>Hookline</h1>
      <p id="no-apps">
        This key reaches no application yet: an organization owner gives its members app roles.
      </p>`;
  return html`<${AppSwitcher} /><${Notices} /> <${Screen} key=${`${at.hash}#${at.n}`} hash=${at.hash} />`;
}

/** Only the links to screens the key may use: the API refuses the others anyway. */
function showNavFor() {
  const role = installationRole();
  const shown = {
    'nav-keys': can('keys'),
    'nav-members': Boolean(managedOrg()),
    'nav-event-types': role !== undefined,
    'nav-settings': role === 'admin' || role === 'viewer',
    'nav-queues': role === 'admin',
  };
  for (const [id, visible] of Object.entries(shown)) {
    const link = document.getElementById(id);
    if (link) link.hidden = !visible;
  }
}

// Button handlers call the API too; a refusal (say, a 409) is shown, not swallowed.
window.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  notice(errorText(e.reason), true);
});
document.getElementById('sign-out')?.addEventListener('click', signOut);
render(html`<${App} />`, main);
