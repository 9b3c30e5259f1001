// @ts-check
import { currentApp, pickApp, who } from '../lib/session.js';
import { html } from '../lib/ui.js';

/** The organization/application switcher: only what the signed-in key may reach, by organization. */
export function AppSwitcher() {
  const { apps, name } = who();
  const orgs = [...new Set(apps.map((a) => a.orgId))];
  return html`<div class="switcher">
    <label for="app-switcher">Application</label>
    <select id="app-switcher" onChange=${(e) => pickApp(e.currentTarget.value)}>
      ${orgs.map(
        (org) =>
          html`<optgroup label=${`Organization ${org}`} key=${org}>
            ${apps
              .filter((a) => a.orgId === org)
              .map((a) => html`<option value=${a.id} selected=${a.id === currentApp()}>${a.id}</option>`)}
          </optgroup>`,
      )}
    </select>
    <span class="signed-in-as">Signed in as ${name}</span>
  </div>`;
}
