// @ts-check
import { api } from '../lib/api.js';
import { field, h, notice, screenFor } from '../lib/dom.js';

export async function renderEventTypes() {
  const display = screenFor(location.hash);
  const types = await api('GET', '/v1/event-types');
  const rows = types.map((t) =>
    h(
      'tr',
      { 'data-event-type': t.name, class: t.archived ? 'archived' : '' },
      h('td', {}, t.name),
      h('td', {}, t.mauticName ?? ''),
      h('td', {}, t.description),
      h('td', {}, t.builtIn ? 'built-in' : 'custom'),
      h('td', { title: t.schema ? JSON.stringify(t.schema) : '' }, t.schema ? 'yes' : 'no'),
      h('td', { class: t.archived ? 'off' : 'on' }, t.archived ? 'archived' : 'active'),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'archive',
            onclick: async () => {
              await api('PATCH', `/v1/event-types/${encodeURIComponent(t.name)}`, { archived: !t.archived });
              await renderEventTypes();
            },
          },
          t.archived ? 'Restore' : 'Archive',
        ),
      ),
    ),
  );
  const form = h(
    'form',
    { id: 'event-type-form' },
    field(
      'Name',
      h('input', { id: 'type-name', name: 'name', required: true, pattern: '[A-Za-z0-9._\\-]{1,100}' }),
    ),
    field('Description', h('input', { id: 'type-description', name: 'description' })),
    field('Mautic alias', h('input', { id: 'type-alias', name: 'mauticName' })),
    field(
      'Payload JSON Schema',
      h('textarea', {
        id: 'type-schema',
        name: 'schema',
        rows: 4,
        placeholder: '{"type":"object","required":["job"]}',
      }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add event type')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    try {
      const schemaText = String(data.get('schema') ?? '').trim();
      let schema;
      try {
        schema = schemaText ? JSON.parse(schemaText) : undefined;
      } catch {
        throw new Error('Payload JSON Schema: not valid JSON');
      }
      await api('POST', '/v1/event-types', {
        name: data.get('name'),
        description: data.get('description') || '',
        mauticName: data.get('mauticName') || undefined,
        schema,
      });
      await renderEventTypes();
      notice(`Added ${data.get('name')}; every process takes its events within 2 seconds.`);
    } catch (err) {
      notice(err.message, true);
    }
  });
  display(
    h('h1', {}, 'Event types'),
    h(
      'p',
      {},
      'Built-in Mautic types and your own. Archived types take no new events; subscriptions and history stay. ',
      'Catalogues for Mitto, Mix and Mattermost: npm run cli -- event-types import catalogues/<name>.json',
    ),
    h(
      'table',
      { id: 'event-types' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Name', 'Mautic alias', 'Description', 'Kind', 'Schema', 'Status', ''].map((t) =>
            h('th', {}, t),
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
    h('h2', {}, 'Add an event type'),
    form,
  );
}
