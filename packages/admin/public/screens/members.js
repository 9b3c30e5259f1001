// @ts-check
import { api } from '../lib/api.js';
import { Field, Select, Table, useLoaded, Waiting } from '../lib/controls.js';
import { notice } from '../lib/messages.js';
import { currentApp, managedOrg } from '../lib/session.js';
import { html } from '../lib/ui.js';

const HEADS = ['Name', 'Org role', 'App roles', ''];
const ORG_ROLES = [
  ['viewer', 'viewer'],
  ['member', 'member'],
  ['owner', 'owner'],
];
const APP_ROLES = [
  ['', 'none'],
  ['viewer', 'viewer'],
  ['owner', 'owner'],
];

/** An organization's members (for its owners): add one (its key is shown once), remove one. */
export function Members() {
  const org = managedOrg();
  const [{ data, error }, reload] = useLoaded(() =>
    org ? api('GET', `/v1/orgs/${org}/members`) : Promise.resolve([]),
  );
  if (!org)
    return html`<h1>Members</h1>
      <p>Only an organization's owners manage its members.</p>`;
  if (!data) return html`<${Waiting} error=${error} />`;
  const app = currentApp();
  const add = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const appRole = String(form.get('appRole'));
    const created = await api('POST', `/v1/orgs/${org}/members`, {
      name: form.get('name'),
      orgRole: form.get('orgRole'),
      appRoles: appRole ? { [app]: appRole } : {},
    });
    reload();
    notice(
      `Added ${created.name}. Their key (shown once, give it to them): ${created.key}`,
      false,
      'member-key',
    );
  };
  const remove = async (m) => {
    await api('DELETE', `/v1/orgs/${org}/members/${m.id}`);
    reload();
  };
  const row = (m) =>
    html`<tr data-member=${m.id} key=${m.id}>
      <td>${m.name}</td>
      <td>${m.orgRole}</td>
      <td>
        ${
          Object.entries(m.appRoles)
            .map(([a, r]) => `${a}: ${r}`)
            .join(', ') || 'none'
        }
      </td>
      <td><button type="button" onClick=${() => remove(m)}>Remove</button></td>
    </tr>`;
  return html`<h1>Members of ${org}</h1>
    <${Table} id="members" heads=${HEADS} rows=${data.map(row)} empty="No members yet." />
    <h2>Add a member</h2>
    <form id="member-form" onSubmit=${add}>
      <${Field} label="Name" id="member-name"
        ><input id="member-name" name="name" required maxlength="200"
      /><//>
      <${Field} label="Org role" id="orgRole"
        ><${Select} id="orgRole" options=${ORG_ROLES} value="viewer"
      /><//>
      <${Field} label=${`App role on ${app}`} id="appRole"
        ><${Select} id="appRole" options=${APP_ROLES} value=""
      /><//>
      <div class="actions"><button type="submit">Add member</button></div>
    </form>`;
}
