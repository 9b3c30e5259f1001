// @ts-check
import { api } from '../lib/api.js';
import { Table, useLoaded, Waiting } from '../lib/controls.js';

const HEADS = ['Name', 'URL', 'Events', 'Health', 'Queued', ''];
import { appPath, can } from '../lib/session.js';
import { html } from '../lib/ui.js';

/** The webhooks, each with its health and what waits for it: three API calls in all. */
export function Webhooks() {
  // A portal link does not read the queue: its column stays empty.
  const [{ data, error }, reload] = useLoaded(() =>
    Promise.all([
      api('GET', appPath('/v1/webhooks')),
      can('queue') ? api('GET', appPath('/v1/queue')) : Promise.resolve(undefined),
      api('GET', appPath('/v1/webhook-health')),
    ]),
  );
  if (!data) return html`<${Waiting} error=${error} />`;
  const [webhooks, queue, health] = data;
  const depth = new Map((queue?.webhooks ?? []).map((w) => [w.webhookId, w.depth]));
  // Healthy, failing (its latest delivery failed) or disabled, with the reason or last error.
  const byId = new Map(health.webhooks.map((x) => [x.webhookId, x]));
  const toggle = async (w) => {
    if (w.enabled) await api('PATCH', appPath(`/v1/webhooks/${w.id}`), { enabled: false });
    else await api('POST', appPath(`/v1/webhooks/${w.id}/enable`));
    reload();
  };
  // Who may only view sees no control that changes a webhook (the API would refuse it anyway).
  const editable = can('change');
  const row = (w) => {
    const state = byId.get(w.id) ?? { state: 'healthy', detail: 'no deliveries yet' };
    const waiting = depth.get(w.id) ?? 0;
    return html`<tr data-webhook=${w.id} key=${w.id}>
      <td><a href=${`#/webhooks/${w.id}`}>${w.name}</a></td>
      <td>${w.urls.join(' ')}</td>
      <td>${w.events.join(', ')}</td>
      <td>
        <span class=${`badge ${state.state}`} title=${state.detail}>${state.state}</span>
        ${state.state === 'healthy' ? '' : html`<div class="badge-detail">${state.detail}</div>`}
      </td>
      <td class="depth">${!queue ? '' : !w.enabled && waiting ? `${waiting} (backlog)` : String(waiting)}</td>
      <td>
        ${
          editable &&
          html`<button type="button" class="toggle" onClick=${() => toggle(w)}>
            ${w.enabled ? 'Disable' : 'Enable'}
          </button>`
        }
        ${' '}<a href=${`#/webhooks/${w.id}/deliveries`}>Deliveries</a> ${' '}<a href=${`#/stats/${w.id}`}
          >Charts</a
        >
      </td>
    </tr>`;
  };
  return html`<h1>Webhooks</h1>
    <div class="toolbar">
      ${editable && html`<a href="#/webhooks/new" id="new-webhook">New webhook</a>`}
      ${queue && html`<span id="queue-total">${queue.total} events waiting in the queue</span>`}
      <button type="button" onClick=${reload}>Refresh</button>
    </div>
    <${Table} id="webhooks" heads=${HEADS} rows=${webhooks.map(row)} empty="No webhooks yet." />`;
}
