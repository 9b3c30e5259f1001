// @ts-check
import { KEY } from '../lib/api.js';
import { h, notice, show } from '../lib/dom.js';

export function renderLogin() {
  const input = h('input', {
    type: 'password',
    id: 'admin-key',
    name: 'key',
    required: true,
    autocomplete: 'off',
  });
  const form = h(
    'form',
    {
      id: 'login',
      onsubmit: async (e) => {
        e.preventDefault();
        // The sign-in sets Bull Board's session cookie, and only an admin key gets one.
        const res = await fetch('/admin/session', {
          method: 'POST',
          headers: { authorization: `Bearer ${input.value.trim()}` },
        });
        if (res.status !== 204) {
          notice(res.status === 403 ? 'That key is not an admin key.' : 'Unknown key.', true);
          return;
        }
        sessionStorage.setItem(KEY, input.value.trim());
        location.hash = '#/webhooks';
        window.dispatchEvent(new Event('hookline:route'));
      },
    },
    h('label', { for: 'admin-key' }, 'Admin API key'),
    input,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in')),
  );
  show(h('h1', {}, 'Sign in'), form);
}
