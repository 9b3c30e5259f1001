// @ts-check
import { api } from '../lib/api.js';
import { Field, Table, useLoaded, Waiting } from '../lib/controls.js';
import { notice } from '../lib/messages.js';
import { html } from '../lib/ui.js';

const HEADS = ['Name', 'Mautic alias', 'Description', 'Kind', 'Schema', 'Status', ''];

/** The event catalogue: built-in Mautic types and registered ones, archived or active. */
export function EventTypes() {
  const [{ data: types, error }, reload] = useLoaded(() => api('GET', '/v1/event-types'));
  if (!types) return html`<${Waiting} error=${error} />`;
  const archive = async (t) => {
    await api('PATCH', `/v1/event-types/${encodeURIComponent(t.name)}`, { archived: !t.archived });
    reload();
  };
  const add = async (e) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
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
      reload();
      notice(`Added ${data.get('name')}; every process takes its events within 2 seconds.`);
    } catch (err) {
      notice(err.message, true);
    }
  };
  const row = (t) =>
    html`<tr data-event-type=${t.name} class=${t.archived ? 'archived' : ''} key=${t.name}>
      <td>${t.name}</td>
      <td>${t.mauticName ?? ''}</td>
      <td>${t.description}</td>
      <td>${t.builtIn ? 'built-in' : 'custom'}</td>
      <td title=${t.schema ? JSON.stringify(t.schema) : ''}>${t.schema ? 'yes' : 'no'}</td>
      <td class=${t.archived ? 'off' : 'on'}>${t.archived ? 'archived' : 'active'}</td>
      <td>
        <button type="button" class="archive" onClick=${() => archive(t)}>
          ${t.archived ? 'Restore' : 'Archive'}
        </button>
      </td>
    </tr>`;
  return html`<h1>Event types</h1>
    <p>
      Built-in Mautic types and your own. Archived types take no new events; subscriptions and history stay.
      Catalogues for Mitto, Mix and Mattermost: ${'npm run cli -- event-types import catalogues/<name>.json'}
    </p>
    <${Table} id="event-types" heads=${HEADS} rows=${types.map(row)} empty="No event types." />
    <h2>Add an event type</h2>
    <form id="event-type-form" onSubmit=${add}>
      <${Field} label="Name" id="type-name">
        <input id="type-name" name="name" required pattern="[A-Za-z0-9._\\-]{1,100}" />
      <//>
      <${Field} label="Description" id="type-description">
        <input id="type-description" name="description" />
      <//>
      <${Field} label="Mautic alias" id="type-alias"><input id="type-alias" name="mauticName" /><//>
      <${Field} label="Payload JSON Schema" id="type-schema">
        <textarea
          id="type-schema"
          name="schema"
          rows="4"
          placeholder='{"type":"object","required":["job"]}'
        />
      <//>
      <div class="actions"><button type="submit">Add event type</button></div>
    </form>`;
}
