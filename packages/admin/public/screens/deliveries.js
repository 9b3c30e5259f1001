// @ts-check
import { api } from '../lib/api.js';
import { h, notice, screenFor } from '../lib/dom.js';

export async function renderDeliveries(id) {
  const display = screenFor(location.hash);
  const [webhook, logs] = await Promise.all([
    api('GET', `/v1/webhooks/${id}`),
    api('GET', `/v1/webhooks/${id}/deliveries?limit=100`),
  ]);
  const rows = logs.map((d) =>
    h(
      'tr',
      { 'data-delivery': d.id },
      h('td', {}, new Date(d.createdAt).toLocaleString()),
      h('td', {}, d.mode),
      h('td', { class: `status-${d.status}` }, d.status),
      h('td', { class: 'status-code' }, d.statusCode ?? '–'),
      h('td', { class: 'duration' }, d.durationMs ?? '–'),
      h('td', {}, d.attempt),
      h('td', {}, d.eventCount),
      h('td', { class: 'snippet' }, d.error ?? d.responseSnippet ?? ''),
      h(
        'td',
        {},
        d.deliveryId &&
          h(
            'button',
            {
              type: 'button',
              onclick: async () => {
                await api('POST', `/v1/deliveries/${d.id}/redeliver`);
                await renderDeliveries(id);
              },
            },
            'Redeliver',
          ),
      ),
    ),
  );
  const heads = ['Time', 'Mode', 'Status', 'HTTP', 'ms', 'Attempt', 'Events', 'Response / error', ''];
  display(
    h('h1', {}, `Deliveries of ${webhook.name}`),
    h(
      'div',
      { class: 'toolbar' },
      h('a', { href: `#/webhooks/${id}` }, 'Edit webhook'),
      h('button', { type: 'button', onclick: () => void renderDeliveries(id) }, 'Refresh'),
      recoverForm(id),
    ),
    h(
      'table',
      { id: 'deliveries' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          heads.map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.length ? rows : h('tr', {}, h('td', { colspan: heads.length }, 'No deliveries yet.')),
      ),
    ),
  );
}

/** Bulk recovery: resend every failed delivery since a time (default: the last 24 hours). */
function recoverForm(id) {
  const since = h('input', {
    id: 'recover-since',
    type: 'datetime-local',
    value: new Date(Date.now() - 86_400_000 - new Date().getTimezoneOffset() * 60_000)
      .toISOString()
      .slice(0, 16),
  });
  const form = h(
    'form',
    { id: 'recover-form', class: 'inline' },
    h('label', { for: 'recover-since' }, 'Resend failed since '),
    since,
    h('button', { type: 'submit' }, 'Recover'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      // datetime-local is the browser's local time; the API takes an instant.
      const result = await api('POST', `/v1/webhooks/${id}/recover`, {
        since: new Date(since.value).toISOString(),
      });
      notice(`${result.batches} failed deliveries will be resent, oldest first.`).id = 'recover-result';
    } catch (err) {
      notice(err.message, true);
    }
  });
  return form;
}
