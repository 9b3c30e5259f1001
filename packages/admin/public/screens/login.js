// @ts-check
import { KEY } from '../lib/api.js';
import { notice } from '../lib/messages.js';
import { html } from '../lib/ui.js';

/**
 * Sign-in with any key (installation, member or app key); it is kept for this tab only
 * (sessionStorage). What the screens show then follows what the key may reach (GET /v1/me).
 */
export function Login() {
  const submit = async (e) => {
    e.preventDefault();
    const key = String(new FormData(e.currentTarget).get('key') ?? '').trim();
    // The sign-in checks the key; an installation admin key also gets Bull Board's session cookie.
    const res = await fetch('/admin/session', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    });
    if (res.status !== 204) {
      notice('Unknown key.', true);
      return;
    }
    sessionStorage.setItem(KEY, key);
    location.hash = '#/webhooks';
    window.dispatchEvent(new Event('hookline:route'));
  };
  return html`<h1>Sign in</h1>
    <form id="login" onSubmit=${submit}>
      <label for="admin-key">API key (an installation, member or application key)</label>
      <input type="password" id="admin-key" name="key" required autocomplete="off" />
      <div class="actions"><button type="submit">Sign in</button></div>
    </form>`;
}
