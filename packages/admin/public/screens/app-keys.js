// @ts-check
import { api } from '../lib/api.js';
import { Field, Select, Table, useLoaded, Waiting } from '../lib/controls.js';
import { notice } from '../lib/messages.js';
import { appPath, can, currentApp } from '../lib/session.js';
import { html } from '../lib/ui.js';

const HEADS = ['Name', 'Role', 'Created', ''];
const ROLES = [
  ['producer', 'producer (posts events)'],
  ['viewer', 'viewer (reads webhooks and deliveries)'],
];

/** The current application's keys: create one (shown once), revoke one. */
export function AppKeys() {
  const [{ data, error }, reload] = useLoaded(() =>
    can('keys') ? api('GET', appPath('/v1/api-keys')) : Promise.resolve([]),
  );
  if (!can('keys'))
    return html`<h1>Keys</h1>
      <p>This key may not manage ${currentApp()}'s keys.</p>`;
  if (!data) return html`<${Waiting} error=${error} />`;
  const create = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const created = await api('POST', appPath('/v1/api-keys'), {
      name: form.get('name'),
      role: form.get('role'),
    });
    reload();
    notice(`Created ${created.name}. The key (shown once): ${created.key}`, false, 'app-key');
  };
  const revoke = async (k) => {
    await api('DELETE', appPath(`/v1/api-keys/${k.id}`));
    reload();
  };
  const row = (k) =>
    html`<tr data-key=${k.id} key=${k.id}>
      <td>${k.name}</td>
      <td>${k.role}</td>
      <td>${new Date(k.createdAt).toLocaleString()}</td>
      <td><button type="button" onClick=${() => revoke(k)}>Revoke</button></td>
    </tr>`;
  return html`<h1>Keys of ${currentApp()}</h1>
    <${Table} id="app-keys" heads=${HEADS} rows=${data.map(row)} empty="No keys yet." />
    <h2>New key</h2>
    <form id="app-key-form" onSubmit=${create}>
      <${Field} label="Name" id="key-name"><input id="key-name" name="name" required maxlength="200" /><//>
      <${Field} label="Role" id="role"><${Select} id="role" options=${ROLES} value="producer" /><//>
      <div class="actions"><button type="submit">Create key</button></div>
    </form>`;
}
