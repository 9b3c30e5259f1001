// @ts-check
import { api } from '../lib/api.js';
import { h, screenFor } from '../lib/dom.js';

export async function renderWebhooks() {
  const display = screenFor(location.hash);
  const [webhooks, queue, health] = await Promise.all([
    api('GET', '/v1/webhooks'),
    api('GET', '/v1/queue'),
    api('GET', '/v1/webhook-health'),
  ]);
  const depth = new Map(queue.webhooks.map((w) => [w.webhookId, w.depth]));
  const byId = new Map(health.webhooks.map((x) => [x.webhookId, x]));
  // Healthy, failing (its latest delivery failed) or disabled, with the reason or last error.
  const healths = webhooks.map((w) => byId.get(w.id) ?? { state: 'healthy', detail: 'no deliveries yet' });
  const rows = webhooks.map((w, i) =>
    h(
      'tr',
      { 'data-webhook': w.id },
      h('td', {}, h('a', { href: `#/webhooks/${w.id}` }, w.name)),
      h('td', {}, w.urls.join(' ')),
      h('td', {}, w.events.join(', ')),
      h(
        'td',
        {},
        h('span', { class: `badge ${healths[i].state}`, title: healths[i].detail }, healths[i].state),
        healths[i].state === 'healthy' ? '' : h('div', { class: 'badge-detail' }, healths[i].detail),
      ),
      // A disabled webhook's events keep queueing: its backlog, delivered in order on Enable.
      h(
        'td',
        { class: 'depth' },
        !w.enabled && depth.get(w.id) ? `${depth.get(w.id)} (backlog)` : String(depth.get(w.id) ?? 0),
      ),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'toggle',
            onclick: async () => {
              if (w.enabled) await api('PATCH', `/v1/webhooks/${w.id}`, { enabled: false });
              else await api('POST', `/v1/webhooks/${w.id}/enable`);
              await renderWebhooks();
            },
          },
          w.enabled ? 'Disable' : 'Enable',
        ),
        ' ',
        h('a', { href: `#/webhooks/${w.id}/deliveries` }, 'Deliveries'),
        ' ',
        h('a', { href: `#/stats/${w.id}` }, 'Charts'),
      ),
    ),
  );
  display(
    h('h1', {}, 'Webhooks'),
    h(
      'div',
      { class: 'toolbar' },
      h('a', { href: '#/webhooks/new', id: 'new-webhook' }, 'New webhook'),
      h('span', { id: 'queue-total' }, `${queue.total} events waiting in the queue`),
      h('button', { type: 'button', onclick: () => void renderWebhooks() }, 'Refresh'),
    ),
    h(
      'table',
      { id: 'webhooks' },
      h(
        'thead',
        {},
        h('tr', {}, ...['Name', 'URL', 'Events', 'Health', 'Queued', ''].map((t) => h('th', {}, t))),
      ),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 6 }, 'No webhooks yet.'))),
    ),
  );
}
