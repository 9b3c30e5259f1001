// @ts-check
import { ApiFailure, SYSTEM_TYPES, api } from '../lib/api.js';
import { field, h, notice, screenFor, select } from '../lib/dom.js';

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

/** How a setting's choices are shown (a choice without a label shows as it is). */
const CHOICE_LABELS = {
  eventNames: { native: "Hookline's (form.submitted)", mautic: "Mautic's (mautic.form_on_submit)" },
  order: { '': 'as in settings' },
  signature: { mautic: 'Webhook-Signature (Mautic)', standard: 'Standard Webhooks' },
  when: { exact: 'first word is exactly one of them', startsWith: 'first word starts with one of them' },
};

/**
 * A setting's choices and default, read from the webhook's shape as the API documents it (the
 * create body in /openapi.json, generated from the one zod schema): a choice added there shows
 * here. A nullable setting offers '' for none.
 */
function choices(properties, name) {
  const schema = properties[name] ?? {};
  const values = schema.enum ?? schema.anyOf?.find((s) => s.enum)?.enum ?? [];
  const nullable = Boolean(schema.anyOf?.some((s) => s.type === 'null'));
  const labels = CHOICE_LABELS[name] ?? {};
  return {
    options: [...(nullable ? [''] : []), ...values].map((v) => [v, labels[v] ?? v]),
    fallback: schema.default ?? '',
  };
}

export async function renderWebhookForm(id) {
  const display = screenFor(location.hash);
  const [types, webhook, doc] = await Promise.all([
    api('GET', '/v1/event-types'),
    id ? api('GET', `/v1/webhooks/${id}`) : Promise.resolve(undefined),
    api('GET', '/openapi.json'),
  ]);
  const shape = doc.paths['/v1/webhooks'].post.requestBody.content['application/json'].schema.properties;
  const trigger = shape.trigger.anyOf.find((s) => s.type === 'object').properties;
  /** A select (`id`) of a setting's choices, the webhook's value or the setting's default selected. */
  const choice = (id, value, from = shape, name = id) => {
    const { options, fallback } = choices(from, name);
    return select(id, options, value ?? fallback);
  };
  const w = webhook ?? { events: [], enabled: true };
  // A text setting's length limit, from the same schema.
  const maxlength = (name) =>
    shape[name]?.maxLength ?? shape[name]?.anyOf?.find((s) => s.type === 'string')?.maxLength;
  const text = (name, value, attrs = {}) =>
    h('input', { id: name, name, value: value ?? '', maxlength: maxlength(name), ...attrs });
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
    field('Event names in batches', choice('eventNames', w.eventNames)),
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
    field('Order', choice('order', w.order)),
    field('Method', choice('method', w.method)),
    field('Content type', choice('contentType', w.contentType)),
    field('Signature', choice('signature', w.signature)),
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
    field('Trigger match', choice('triggerWhen', w.trigger?.when, trigger, 'when')),
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
