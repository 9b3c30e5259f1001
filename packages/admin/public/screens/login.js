// @ts-check
import { KEY } from '../lib/api.js';
import { notice } from '../lib/messages.js';
import { html } from '../lib/ui.js';

/** Sign-in: the key is kept for this tab only (sessionStorage); only an admin key signs in. */
export function Login() {
  const submit = async (e) => {
    e.preventDefault();
    const key = String(new FormData(e.currentTarget).get('key') ?? '').trim();
    // The sign-in sets Bull Board's session cookie, and only an admin key gets one.
    const res = await fetch('/admin/session', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    });
    if (res.status !== 204) {
      notice(res.status === 403 ? 'That key is not an admin key.' : 'Unknown key.', true);
      return;
    }
    sessionStorage.setItem(KEY, key);
    location.hash = '#/webhooks';
    window.dispatchEvent(new Event('hookline:route'));
  };
  return html`<h1>Sign in</h1>
    <form id="login" onSubmit=${submit}>
      <label for="admin-key">Admin API key</label>
      <input type="password" id="admin-key" name="key" required autocomplete="off" />
      <div class="actions"><button type="submit">Sign in</button></div>
    </form>`;
}
