// @ts-check
import { api } from '../lib/api.js';
import { Field, Select, useLoaded, Waiting } from '../lib/controls.js';
import { notice } from '../lib/messages.js';
import { html } from '../lib/ui.js';

/** Every setting of GET /v1/settings: two choices, and these numbers. */
const NUMBERS = ['batchLimit', 'timeLimitSeconds', 'disableLimit', 'timeoutMs', 'logMax', 'retentionDays'];

export function Settings() {
  const [{ data: s, error }, reload] = useLoaded(() => api('GET', '/v1/settings'));
  if (!s) return html`<${Waiting} error=${error} />`;
  const submit = async (e) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const patch = { queueMode: data.get('queueMode'), order: data.get('order') };
    for (const n of NUMBERS) patch[n] = Number(data.get(n));
    try {
      await api('PATCH', '/v1/settings', patch);
      reload();
      notice('Settings saved; every process applies them within 2 seconds.');
    } catch (err) {
      notice(err.message, true);
    }
  };
  const queueModes = [
    ['immediate', 'immediate (one request per event)'],
    ['queue', 'queue (batched by the worker)'],
  ];
  const orders = [
    ['chronological', 'chronological (oldest first)'],
    ['reverse', 'reverse (newest first)'],
  ];
  return html`<h1>Settings</h1>
    <form id="settings-form" onSubmit=${submit}>
      <${Field} label="Queue mode" id="queueMode">
        <${Select} id="queueMode" options=${queueModes} value=${s.queueMode} />
      <//>
      <${Field} label="Order" id="order"><${Select} id="order" options=${orders} value=${s.order} /><//>
      ${NUMBERS.map(
        (n) =>
          html`<${Field} label=${n} id=${n}>
            <input id=${n} name=${n} type="number" min="1" value=${s[n]} />
          <//>`,
      )}
      <div class="actions"><button type="submit">Save settings</button></div>
    </form>`;
}
