// Hookline admin dashboard: plain browser JavaScript, no build step. Every figure on screen comes
// from the JSON API (/v1), called with the admin key the user signed in with; nothing is cached.
// All text reaches the page through textContent (see `h`), so stored values cannot inject markup.

const KEY = 'hookline.adminKey';
const main = document.getElementById('main');
const nav = document.getElementById('nav');

/** Builds an element; children are nodes or strings (set as text, never as HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return el;
}

function show(...nodes) {
  main.replaceChildren(...nodes);
}

/**
 * `show` for a page render that started at `hash`: when the admin has moved on meanwhile (a slow
 * render finishing after a faster one), it shows nothing, so an older page never covers a newer one.
 */
function screenFor(hash) {
  return (...nodes) => {
    if (location.hash === hash) show(...nodes);
  };
}

function notice(text, isError = false) {
  const el = h('p', { class: isError ? 'notice error' : 'notice', role: 'status' }, text);
  main.prepend(el);
  return el;
}

class ApiFailure extends Error {
  constructor(message, details) {
    super(message);
    // The API's `details`: [{path, message}] for a body that fails validation.
    this.details = Array.isArray(details) ? details : [];
  }
}

/** Events Hookline raises itself: webhooks may subscribe to them (not in /v1/event-types). */
const SYSTEM_TYPES = ['system.webhook_disabled'];

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${sessionStorage.getItem(KEY) ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) {
    signOut();
    throw new ApiFailure('Your session ended; sign in again.');
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    throw new ApiFailure(data?.error?.message ?? `HTTP ${res.status}`, data?.error?.details);
  }
  return data;
}

function signOut() {
  sessionStorage.removeItem(KEY);
  void fetch('/admin/session', { method: 'DELETE' });
  nav.hidden = true;
  renderLogin();
}

function renderLogin() {
  const input = h('input', {
    type: 'password',
    id: 'admin-key',
    name: 'key',
    required: true,
    autocomplete: 'off',
  });
  const form = h(
    'form',
    {
      id: 'login',
      onsubmit: async (e) => {
        e.preventDefault();
        // The sign-in sets Bull Board's session cookie, and only an admin key gets one.
        const res = await fetch('/admin/session', {
          method: 'POST',
          headers: { authorization: `Bearer ${input.value.trim()}` },
        });
        if (res.status !== 204) {
          notice(res.status === 403 ? 'That key is not an admin key.' : 'Unknown key.', true);
          return;
        }
        sessionStorage.setItem(KEY, input.value.trim());
        location.hash = '#/webhooks';
        route();
      },
    },
    h('label', { for: 'admin-key' }, 'Admin API key'),
    input,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in')),
  );
  show(h('h1', {}, 'Sign in'), form);
}

async function renderWebhooks() {
  const display = screenFor(location.hash);
  const [webhooks, queue] = await Promise.all([api('GET', '/v1/webhooks'), api('GET', '/v1/queue')]);
  const depth = new Map(queue.webhooks.map((w) => [w.webhookId, w.depth]));
  const healths = await Promise.all(webhooks.map(health));
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

function select(name, options, value) {
  return h(
    'select',
    { id: name, name },
    options.map(([v, label]) => h('option', { value: v, selected: v === (value ?? '') }, label)),
  );
}

/** A label, its control, and the place (hidden while empty) for the API's message about it. */
function field(label, control) {
  return [
    h('label', { for: control.id }, label),
    control,
    h('p', { class: 'field-error', id: `error-${control.id}`, role: 'alert' }),
  ];
}

/** Which form control an API detail path (`urls.1`, `headers.X-Foo`, `trigger.words`) is about. */
const CONTROL_FOR = { urls: 'url', trigger: 'triggerWords' };

/** Puts each of the API's validation messages beside its field; returns whether any was placed. */
function showFieldErrors(form, details) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  let placed = false;
  for (const d of details) {
    const key = String(d.path ?? '').split('.')[0];
    const target = form.querySelector(`#error-${CONTROL_FOR[key] ?? key}`);
    if (!target) continue;
    target.textContent = `${target.textContent ? `${target.textContent}; ` : ''}${d.message}`;
    placed = true;
  }
  return placed;
}

/** "Name: value" lines to a headers object (null when empty). */
function headersFrom(text) {
  const lines = String(text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return null;
  return Object.fromEntries(
    lines.map((l) => {
      const at = l.indexOf(':');
      return at < 0 ? [l, ''] : [l.slice(0, at).trim(), l.slice(at + 1).trim()];
    }),
  );
}

/** The filter textarea: JSON (an AND array, or {"any":[[...],[...]]}), or null when empty. */
function filterFrom(text) {
  const value = String(text ?? '').trim();
  if (!value) return null;
  try {
    return JSON.parse(value);
  } catch {
    throw new ApiFailure('filter: not valid JSON', [{ path: 'filter', message: 'not valid JSON' }]);
  }
}

async function renderWebhookForm(id) {
  const display = screenFor(location.hash);
  const [types, webhook] = await Promise.all([
    api('GET', '/v1/event-types'),
    id ? api('GET', `/v1/webhooks/${id}`) : Promise.resolve(undefined),
  ]);
  const w = webhook ?? { events: [], enabled: true };
  const text = (name, value, attrs = {}) => h('input', { id: name, name, value: value ?? '', ...attrs });
  const events = h(
    'fieldset',
    { id: 'events' },
    [
      ...types.filter((t) => !t.archived || w.events.includes(t.name)).map((t) => t.name),
      ...SYSTEM_TYPES,
    ].map((name) =>
      h(
        'label',
        {},
        h('input', { type: 'checkbox', name: 'events', value: name, checked: w.events.includes(name) }),
        ` ${name}`,
      ),
    ),
  );
  const form = h(
    'form',
    { id: 'webhook-form' },
    field('Name', text('name', w.name, { required: true })),
    field('URL', text('url', w.url, { required: true, type: 'url' })),
    field(
      'More callback URLs (one per line; each gets every delivery)',
      h('textarea', { id: 'moreUrls', name: 'moreUrls', rows: 2 }, (w.urls ?? []).slice(1).join('\n')),
    ),
    field('Description', text('description', w.description)),
    h('span', {}, 'Events'),
    events,
    h('p', { class: 'field-error', id: 'error-events', role: 'alert' }),
    field(
      'Event names in batches',
      select(
        'eventNames',
        [
          ['native', "Hookline's (form.submitted)"],
          ['mautic', "Mautic's (mautic.form_on_submit)"],
        ],
        w.eventNames ?? 'native',
      ),
    ),
    field(
      'Filter (JSON)',
      h(
        'textarea',
        {
          id: 'filter',
          name: 'filter',
          rows: 3,
          placeholder:
            '[{"path":"payload.form.id","op":"eq","value":3}]  or  {"any":[[...],[...]]} (any one group)',
        },
        w.filter ? JSON.stringify(w.filter) : '',
      ),
    ),
    field(
      'Custom headers',
      h(
        'textarea',
        { id: 'headers', name: 'headers', rows: 2, placeholder: 'Authorization: Bearer …  (one per line)' },
        Object.entries(w.headers ?? {})
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n'),
      ),
    ),
    field(
      'Order',
      select(
        'order',
        [
          ['', 'as in settings'],
          ['chronological', 'chronological'],
          ['reverse', 'reverse'],
        ],
        w.order,
      ),
    ),
    field(
      'Method',
      select(
        'method',
        [
          ['POST', 'POST'],
          ['GET', 'GET'],
        ],
        w.method ?? 'POST',
      ),
    ),
    field(
      'Content type',
      select(
        'contentType',
        ['application/json', 'application/x-www-form-urlencoded', 'text/plain'].map((c) => [c, c]),
        w.contentType ?? 'application/json',
      ),
    ),
    field(
      'Signature',
      select(
        'signature',
        [
          ['mautic', 'Webhook-Signature (Mautic)'],
          ['standard', 'Standard Webhooks'],
        ],
        w.signature ?? 'mautic',
      ),
    ),
    field('Enabled', h('input', { type: 'checkbox', id: 'enabled', name: 'enabled', checked: w.enabled })),
    field(
      'Body template',
      h('textarea', { id: 'bodyTemplate', name: 'bodyTemplate', rows: 3 }, w.bodyTemplate ?? ''),
    ),
    field(
      'Trigger words',
      text('triggerWords', (w.trigger?.words ?? []).join(' '), {
        placeholder: '#build #deploy (first word of the text)',
      }),
    ),
    field(
      'Trigger match',
      select(
        'triggerWhen',
        [
          ['exact', 'first word is exactly one of them'],
          ['startsWith', 'first word starts with one of them'],
        ],
        w.trigger?.when ?? 'exact',
      ),
    ),
    field('Token (sent as "token")', text('token', w.token)),
    field(
      'Reply event type',
      select(
        'replyEventType',
        [['', 'none'], ...types.filter((t) => !t.archived).map((t) => [t.name, t.name])],
        w.replyEventType,
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, id ? 'Save' : 'Create'),
      id &&
        h(
          'button',
          { type: 'button', id: 'send-test', onclick: () => void sendTest(id) },
          'Send test payload',
        ),
    ),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    let body;
    try {
      body = {
        name: data.get('name'),
        urls: [
          data.get('url'),
          ...String(data.get('moreUrls') ?? '')
            .split('\n')
            .map((u) => u.trim())
            .filter(Boolean),
        ],
        description: data.get('description') || null,
        events: data.getAll('events'),
        order: data.get('order') || null,
        method: data.get('method'),
        contentType: data.get('contentType'),
        signature: data.get('signature'),
        enabled: form.elements.enabled.checked,
        bodyTemplate: data.get('bodyTemplate') || null,
        trigger: triggerFrom(data, w.trigger),
        token: data.get('token') || null,
        replyEventType: data.get('replyEventType') || null,
        eventNames: data.get('eventNames'),
        filter: filterFrom(data.get('filter')),
        headers: headersFrom(data.get('headers')),
      };
      if (id) {
        await api('PATCH', `/v1/webhooks/${id}`, body);
        notice('Saved.');
      } else {
        const created = await api('POST', '/v1/webhooks', body);
        // replaceState fires no hashchange, so the re-render below keeps the notice on screen.
        history.replaceState(null, '', `#/webhooks/${created.id}`);
        await renderWebhookForm(created.id);
        notice(`Created. Its signing secret (shown once here, also in the API): ${created.secret}`);
      }
      showFieldErrors(form, []);
    } catch (err) {
      const beside = err instanceof ApiFailure && showFieldErrors(form, err.details);
      notice(beside ? `Not saved: ${err.message}` : err.message, true);
    }
  });
  display(h('h1', {}, id ? `Webhook ${w.name}` : 'New webhook'), form);
}

/** Trigger words from the form, keeping the webhook's `field` (Default: payload.text). */
function triggerFrom(data, current) {
  const words = String(data.get('triggerWords') ?? '')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return null;
  return { words, when: data.get('triggerWhen'), field: current?.field ?? 'payload.text' };
}

async function sendTest(id) {
  const result = await api('POST', `/v1/webhooks/${id}/test`);
  const outcome = result.delivered
    ? `Test payload delivered: HTTP ${result.statusCode} in ${result.durationMs} ms.`
    : `Test payload failed: ${result.error ?? `HTTP ${result.statusCode}`}.`;
  notice(outcome, !result.delivered).id = 'test-result';
}

async function renderDeliveries(id) {
  const display = screenFor(location.hash);
  const [webhook, logs] = await Promise.all([
    api('GET', `/v1/webhooks/${id}`),
    api('GET', `/v1/webhooks/${id}/deliveries?limit=100`),
  ]);
  const rows = logs.map((d) =>
    h(
      'tr',
      { 'data-delivery': d.id },
      h('td', {}, new Date(d.createdAt).toLocaleString()),
      h('td', {}, d.mode),
      h('td', { class: `status-${d.status}` }, d.status),
      h('td', { class: 'status-code' }, d.statusCode ?? '–'),
      h('td', { class: 'duration' }, d.durationMs ?? '–'),
      h('td', {}, d.attempt),
      h('td', {}, d.eventCount),
      h('td', { class: 'snippet' }, d.error ?? d.responseSnippet ?? ''),
      h(
        'td',
        {},
        d.deliveryId &&
          h(
            'button',
            {
              type: 'button',
              onclick: async () => {
                await api('POST', `/v1/deliveries/${d.id}/redeliver`);
                await renderDeliveries(id);
              },
            },
            'Redeliver',
          ),
      ),
    ),
  );
  const heads = ['Time', 'Mode', 'Status', 'HTTP', 'ms', 'Attempt', 'Events', 'Response / error', ''];
  display(
    h('h1', {}, `Deliveries of ${webhook.name}`),
    h(
      'div',
      { class: 'toolbar' },
      h('a', { href: `#/webhooks/${id}` }, 'Edit webhook'),
      h('button', { type: 'button', onclick: () => void renderDeliveries(id) }, 'Refresh'),
      recoverForm(id),
    ),
    h(
      'table',
      { id: 'deliveries' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          heads.map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.length ? rows : h('tr', {}, h('td', { colspan: heads.length }, 'No deliveries yet.')),
      ),
    ),
  );
}

async function renderEventTypes() {
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

/** Bulk recovery: resend every failed delivery since a time (default: the last 24 hours). */
function recoverForm(id) {
  const since = h('input', {
    id: 'recover-since',
    type: 'datetime-local',
    value: new Date(Date.now() - 86_400_000 - new Date().getTimezoneOffset() * 60_000)
      .toISOString()
      .slice(0, 16),
  });
  const form = h(
    'form',
    { id: 'recover-form', class: 'inline' },
    h('label', { for: 'recover-since' }, 'Resend failed since '),
    since,
    h('button', { type: 'submit' }, 'Recover'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      // datetime-local is the browser's local time; the API takes an instant.
      const result = await api('POST', `/v1/webhooks/${id}/recover`, {
        since: new Date(since.value).toISOString(),
      });
      notice(`${result.batches} failed deliveries will be resent, oldest first.`).id = 'recover-result';
    } catch (err) {
      notice(err.message, true);
    }
  });
  return form;
}

/** A uPlot chart of per-minute buckets: `series` are [label, colour, value of a bucket, fill?]. */
function chart(id, title, buckets, series) {
  const box = h('div', { class: 'chart', id });
  const data = [
    buckets.map((b) => Date.parse(b.t) / 1000),
    ...series.map(([, , value]) => buckets.map(value)),
  ];
  // uPlot draws into the box once it is in the page (it measures nothing before).
  queueMicrotask(() => {
    // The instance stays on its box, where the browser test reads what was plotted.
    // eslint-disable-next-line no-undef -- uPlot is the global of vendor/uplot/uPlot.iife.min.js
    box.plot = new uPlot(
      {
        title,
        width: Math.min(900, main.clientWidth - 20),
        height: 220,
        series: [
          {},
          ...series.map(([label, colour, , fill]) => ({
            label,
            stroke: colour,
            fill,
            width: 1.5,
            spanGaps: false,
            points: { show: true, size: 4 },
          })),
        ],
        axes: [{}, { size: 60 }],
      },
      data,
      box,
    );
  });
  return box;
}

/** Deliveries, latency and what waits, per minute, for one webhook or all (GET /v1/stats). */
async function renderStats(webhookId = '', window = '1h') {
  const display = screenFor(location.hash);
  const [webhooks, stats] = await Promise.all([
    api('GET', '/v1/webhooks'),
    api('GET', `/v1/stats?window=${window}${webhookId ? `&webhook=${webhookId}` : ''}`),
  ]);
  const b = stats.buckets;
  const delivered = b.reduce((n, x) => n + x.success, 0);
  const failed = b.reduce((n, x) => n + x.failed, 0);
  const pick = select(
    'stats-webhook',
    [['', 'all webhooks'], ...webhooks.map((w) => [w.id, w.name])],
    webhookId,
  );
  const span = select(
    'stats-window',
    [
      ['1h', 'last hour'],
      ['24h', 'last 24 hours'],
    ],
    window,
  );
  const redraw = () => void renderStats(pick.value, span.value);
  pick.addEventListener('change', redraw);
  span.addEventListener('change', redraw);
  display(
    h('h1', {}, 'Overview'),
    h('div', { class: 'toolbar' }, pick, span, h('button', { type: 'button', onclick: redraw }, 'Refresh')),
    h('p', { id: 'stats-totals' }, `${delivered} delivered, ${failed} failed`),
    // Stacked: the red area is every attempt, the green one the successful ones over it.
    chart('chart-deliveries', 'Deliveries per minute', b, [
      ['failed', '#b42318', (x) => x.success + x.failed, 'rgba(180,35,24,0.35)'],
      ['delivered', '#116329', (x) => x.success, 'rgba(17,99,41,0.45)'],
    ]),
    chart('chart-latency', 'Delivery latency (ms, bucket upper bound)', b, [
      ['p50', '#3b6fd8', (x) => x.p50Ms],
      ['p99', '#b26b00', (x) => x.p99Ms],
    ]),
    chart('chart-queue', 'Waiting (per-minute snapshot by the workers)', b, [
      ['queue depth', '#5b3cc4', (x) => x.queueDepth],
      ['retry backlog', '#b42318', (x) => x.retryBacklog],
    ]),
  );
}

/** Healthy, failing (its latest delivery failed) or disabled, with the reason or last error. */
async function health(w) {
  if (!w.enabled) return { state: 'disabled', detail: w.disabledReason ?? 'disabled by an admin' };
  const [last] = await api('GET', `/v1/webhooks/${w.id}/deliveries?limit=1`);
  if (last?.status === 'failed') return { state: 'failing', detail: last.error ?? `HTTP ${last.statusCode}` };
  return { state: 'healthy', detail: last ? `last delivery ${last.createdAt}` : 'no deliveries yet' };
}

async function renderSettings() {
  const display = screenFor(location.hash);
  const s = await api('GET', '/v1/settings');
  const numbers = ['batchLimit', 'timeLimitSeconds', 'disableLimit', 'timeoutMs', 'logMax'];
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

async function route() {
  if (!sessionStorage.getItem(KEY)) return renderLogin();
  nav.hidden = false;
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  try {
    if (parts[0] === 'settings') await renderSettings();
    else if (parts[0] === 'stats') await renderStats(parts[1] ?? '');
    else if (parts[0] === 'event-types') await renderEventTypes();
    else if (parts[0] === 'webhooks' && parts[1] === 'new') await renderWebhookForm(undefined);
    else if (parts[0] === 'webhooks' && parts[1] && parts[2] === 'deliveries')
      await renderDeliveries(parts[1]);
    else if (parts[0] === 'webhooks' && parts[1]) await renderWebhookForm(parts[1]);
    else await renderWebhooks();
  } catch (err) {
    show(h('h1', {}, 'Hookline'));
    notice(err instanceof ApiFailure ? err.message : `Unexpected error: ${err}`, true);
  }
}

// Button handlers call the API too; a refusal (say, a 409) is shown, not swallowed.
window.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  notice(e.reason instanceof ApiFailure ? e.reason.message : `Unexpected error: ${e.reason}`, true);
});
document.getElementById('sign-out').addEventListener('click', signOut);
window.addEventListener('hashchange', () => void route());
void route();
