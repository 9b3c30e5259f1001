// @ts-check
import { api } from '../lib/api.js';
import { field, h, notice, screenFor, select } from '../lib/dom.js';

export async function renderSettings() {
  const display = screenFor(location.hash);
  const s = await api('GET', '/v1/settings');
  // Every setting of GET /v1/settings is here: the two choices above, and these numbers.
  const numbers = ['batchLimit', 'timeLimitSeconds', 'disableLimit', 'timeoutMs', 'logMax', 'retentionDays'];
  const form = h(
    'form',
    { id: 'settings-form' },
    field(
      'Queue mode',
      select(
        'queueMode',
        [
          ['immediate', 'immediate (one request per event)'],
          ['queue', 'queue (batched by the worker)'],
        ],
        s.queueMode,
      ),
    ),
    field(
      'Order',
      select(
        'order',
        [
          ['chronological', 'chronological (oldest first)'],
          ['reverse', 'reverse (newest first)'],
        ],
        s.order,
      ),
    ),
    numbers.map((n) => field(n, h('input', { id: n, name: n, type: 'number', min: 1, value: s[n] }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save settings')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const patch = { queueMode: data.get('queueMode'), order: data.get('order') };
    for (const n of numbers) patch[n] = Number(data.get(n));
    try {
      await api('PATCH', '/v1/settings', patch);
      await renderSettings();
      notice('Settings saved; every process applies them within 2 seconds.');
    } catch (err) {
      notice(err.message, true);
    }
  });
  display(h('h1', {}, 'Settings'), form);
}
