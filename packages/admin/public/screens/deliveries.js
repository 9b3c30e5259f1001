// @ts-check
import { api } from '../lib/api.js';
import { Table, useLoaded, Waiting } from '../lib/controls.js';
import { notice } from '../lib/messages.js';
import { appPath, can } from '../lib/session.js';
import { html } from '../lib/ui.js';

const HEADS = ['Time', 'Mode', 'Status', 'HTTP', 'ms', 'Attempt', 'Events', 'Response / error', ''];

/** A webhook's delivery log, newest first, with redelivery and bulk recovery. */
export function Deliveries({ id }) {
  const [{ data, error }, reload] = useLoaded(() =>
    Promise.all([
      api('GET', appPath(`/v1/webhooks/${id}`)),
      api('GET', appPath(`/v1/webhooks/${id}/deliveries?limit=100`)),
    ]),
  );
  if (!data) return html`<${Waiting} error=${error} />`;
  const [webhook, logs] = data;
  const redeliver = async (d) => {
    await api('POST', appPath(`/v1/deliveries/${d.id}/redeliver`));
    reload();
  };
  const editable = can('change');
  const row = (d) =>
    html`<tr data-delivery=${d.id} key=${d.id}>
      <td>${new Date(d.createdAt).toLocaleString()}</td>
      <td>${d.mode}</td>
      <td class=${`status-${d.status}`}>${d.status}</td>
      <td class="status-code">${d.statusCode ?? '–'}</td>
      <td class="duration">${d.durationMs ?? '–'}</td>
      <td>${d.attempt}</td>
      <td>${d.eventCount}</td>
      <td class="snippet">${d.error ?? d.responseSnippet ?? ''}</td>
      <td>
        ${editable && d.deliveryId && html`<button type="button" onClick=${() => redeliver(d)}>Redeliver</button>`}
      </td>
    </tr>`;
  return html`<h1>Deliveries of ${webhook.name}</h1>
    <div class="toolbar">
      <a href=${`#/webhooks/${id}`}>${editable ? 'Edit webhook' : 'Webhook settings'}</a>
      <button type="button" onClick=${reload}>Refresh</button>
      ${editable && html`<${RecoverForm} id=${id} />`}
    </div>
    <${Table} id="deliveries" heads=${HEADS} rows=${logs.map(row)} empty="No deliveries yet." />`;
}

/** Bulk recovery: resend every failed delivery since a time (default: the last 24 hours). */
function RecoverForm({ id }) {
  const dayAgo = new Date(Date.now() - 86_400_000 - new Date().getTimezoneOffset() * 60_000)
    .toISOString()
    .slice(0, 16);
  const submit = async (e) => {
    e.preventDefault();
    const since = String(new FormData(e.currentTarget).get('since'));
    try {
      // datetime-local is the browser's local time; the API takes an instant.
      const result = await api('POST', appPath(`/v1/webhooks/${id}/recover`), {
        since: new Date(since).toISOString(),
      });
      notice(`${result.batches} failed deliveries will be resent, oldest first.`, false, 'recover-result');
    } catch (err) {
      notice(err.message, true);
    }
  };
  return html`<form id="recover-form" class="inline" onSubmit=${submit}>
    <label for="recover-since">Resend failed since </label>
    <input id="recover-since" name="since" type="datetime-local" value=${dayAgo} />
    <button type="submit">Recover</button>
  </form>`;
}
