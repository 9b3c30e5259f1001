// @ts-check
// Hookline admin dashboard: plain browser JavaScript modules, no build step, one module per
// screen (screens/) on two helpers (lib/dom.js builds the page, lib/api.js calls the API).
import { ApiFailure, KEY, signOut } from './lib/api.js';
import { h, nav, notice, show } from './lib/dom.js';
import { renderDeliveries } from './screens/deliveries.js';
import { renderEventTypes } from './screens/event-types.js';
import { renderLogin } from './screens/login.js';
import { renderSettings } from './screens/settings.js';
import { renderStats } from './screens/stats.js';
import { renderWebhookForm } from './screens/webhook-form.js';
import { renderWebhooks } from './screens/webhooks.js';

/** Shows the screen the URL's hash names, or the sign-in screen when no key is kept. */
async function route() {
  if (!sessionStorage.getItem(KEY)) return renderLogin();
  nav.hidden = false;
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  try {
    if (parts[0] === 'settings') await renderSettings();
    else if (parts[0] === 'stats') await renderStats(parts[1] ?? '');
    else if (parts[0] === 'event-types') await renderEventTypes();
    else if (parts[0] === 'webhooks' && parts[1] === 'new') await renderWebhookForm(undefined);
    else if (parts[0] === 'webhooks' && parts[1] && parts[2] === 'deliveries')
      await renderDeliveries(parts[1]);
    else if (parts[0] === 'webhooks' && parts[1]) await renderWebhookForm(parts[1]);
    else await renderWebhooks();
  } catch (err) {
    show(h('h1', {}, 'Hookline'));
    notice(err instanceof ApiFailure ? err.message : `Unexpected error: ${err}`, true);
  }
}

// Button handlers call the API too; a refusal (say, a 409) is shown, not swallowed.
window.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  notice(e.reason instanceof ApiFailure ? e.reason.message : `Unexpected error: ${e.reason}`, true);
});
document.getElementById('sign-out')?.addEventListener('click', signOut);
// Screens move on by changing the hash; signing in or out asks for the current screen again.
window.addEventListener('hashchange', () => void route());
window.addEventListener('hookline:route', () => void route());
void route();
