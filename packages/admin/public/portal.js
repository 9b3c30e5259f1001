// @ts-check
// The portal: an application's customers manage their endpoints here, with the dashboard's own
// screens. The link's fragment carries the token (#token=…): browsers never send a fragment, so
// the token reaches no server log; it is kept for this tab and removed from the address bar.
// Every figure comes from the API, which holds the token to its application (docs/PORTAL.md).
import { KEY } from './lib/api.js';
import { errorText } from './lib/controls.js';
import { clearNotices, notice, Notices } from './lib/messages.js';
import { loadReach, who } from './lib/session.js';
import { html, render, useEffect, useState } from './lib/ui.js';
import { webhookScreen } from './screens/webhook-screens.js';

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));

const given = /^#token=([A-Za-z0-9_-]+)/.exec(location.hash);
if (given) {
  sessionStorage.setItem(KEY, given[1]);
  history.replaceState(null, '', `${location.pathname}#/webhooks`);
}

/** The screen the URL's hash names: the dashboard's webhook screens, and nothing else. */
const Screen = ({ hash }) => webhookScreen(hash.replace(/^#\/?/, '').split('/').filter(Boolean));

/** Its application's name and colour, from GET /v1/me. */
function dress() {
  const portal = who().portal;
  if (!portal) return;
  const name = /** @type {HTMLElement} */ (document.getElementById('portal-app'));
  name.textContent = `${portal.appName}: webhooks`;
  document.title = `${portal.appName}: webhooks`;
  if (portal.accent) document.documentElement.style.setProperty('--accent', portal.accent);
}

function Portal() {
  const [at, setAt] = useState({ hash: location.hash, n: 0 });
  const [state, setState] = useState(sessionStorage.getItem(KEY) ? 'loading' : 'no-link');
  useEffect(() => {
    const moved = () => {
      clearNotices();
      setAt((a) => ({ ...a, hash: location.hash }));
    };
    // api.js signs out on a 401: the link expired or was revoked.
    const asked = () =>
      sessionStorage.getItem(KEY) ? setAt((a) => ({ hash: location.hash, n: a.n + 1 })) : setState('ended');
    window.addEventListener('hashchange', moved);
    window.addEventListener('hookline:route', asked);
    return () => {
      window.removeEventListener('hashchange', moved);
      window.removeEventListener('hookline:route', asked);
    };
  }, []);
  useEffect(() => {
    if (state !== 'loading') return;
    loadReach().then(
      () => {
        dress();
        setState('ready');
      },
      (err) => notice(errorText(err), true),
    );
  }, [state]);
  useEffect(() => {
    nav.hidden = state !== 'ready';
  }, [state]);
  if (state === 'no-link')
    return html`<h1>Webhooks</h1>
      <p id="portal-message">Open this page from the link you were given.</p>`;
  if (state === 'ended')
    return html`<h1>Webhooks</h1>
      <p id="portal-message">This link has expired or was revoked: ask for a new one.</p>`;
  if (state !== 'ready')
    return html`<${Notices} />
      <p class="loading">Loading…</p>`;
  return html`<${Notices} /><${Screen} key=${`${at.hash}#${at.n}`} hash=${at.hash} />`;
}

window.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  notice(errorText(e.reason), true);
});
render(html`<${Portal} />`, main);
