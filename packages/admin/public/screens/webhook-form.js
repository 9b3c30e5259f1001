// @ts-check
import { ApiFailure, SYSTEM_TYPES, api } from '../lib/api.js';
import { Field, Select, useLoaded, Waiting } from '../lib/controls.js';
import { clearNotices, FieldError, notice, showFieldErrors } from '../lib/messages.js';
import { appPath, can } from '../lib/session.js';
import { html } from '../lib/ui.js';

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

/** Trigger words from the form, keeping the webhook's `field` (Default: payload.text). */
function triggerFrom(data, current) {
  const words = String(data.get('triggerWords') ?? '')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return null;
  return { words, when: data.get('triggerWhen'), field: current?.field ?? 'payload.text' };
}

/** The form's controls, each with its place for the API's messages. */
const CONTROLS = [
  'name',
  'url',
  'moreUrls',
  'description',
  'events',
  'eventNames',
  'filter',
  'headers',
  'order',
  'method',
  'contentType',
  'signature',
  'enabled',
  'bodyTemplate',
  'triggerWords',
  'triggerWhen',
  'token',
  'replyEventType',
];

async function sendTest(id) {
  const result = await api('POST', appPath(`/v1/webhooks/${id}/test`));
  const outcome = result.delivered
    ? `Test payload delivered: HTTP ${result.statusCode} in ${result.durationMs} ms.`
    : `Test payload failed: ${result.error ?? `HTTP ${result.statusCode}`}.`;
  notice(outcome, !result.delivered, 'test-result');
}

/** The webhook's settings as the API takes them, from the form. */
function bodyFrom(form, current) {
  const data = new FormData(form);
  return {
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
    trigger: triggerFrom(data, current?.trigger),
    token: data.get('token') || null,
    replyEventType: data.get('replyEventType') || null,
    eventNames: data.get('eventNames'),
    filter: filterFrom(data.get('filter')),
    headers: headersFrom(data.get('headers')),
  };
}

/** Creates a webhook (no `id`) or edits one; the API's messages show beside their fields. */
export function WebhookForm({ id }) {
  const [{ data, error }] = useLoaded(() =>
    Promise.all([
      api('GET', '/v1/event-types'),
      id ? api('GET', appPath(`/v1/webhooks/${id}`)) : Promise.resolve(undefined),
      api('GET', '/openapi.json'),
    ]),
  );
  if (!data) return html`<${Waiting} error=${error} />`;
  const [types, webhook, doc] = data;
  const shape = doc.paths['/v1/webhooks'].post.requestBody.content['application/json'].schema.properties;
  const trigger = shape.trigger.anyOf.find((s) => s.type === 'object').properties;
  const w = webhook ?? { events: [], enabled: true };
  /** A select of a setting's choices, the webhook's value or the setting's default selected. */
  const choice = (id, value, from = shape, name = id) => {
    const { options, fallback } = choices(from, name);
    return html`<${Select} id=${id} options=${options} value=${value ?? fallback} />`;
  };
  // A text setting's length limit, from the same schema.
  const maxlength = (name) =>
    shape[name]?.maxLength ?? shape[name]?.anyOf?.find((s) => s.type === 'string')?.maxLength;
  const text = (name, value, attrs = {}) =>
    html`<input id=${name} name=${name} value=${value ?? ''} maxlength=${maxlength(name)} ...${attrs} />`;
  const eventNames = [
    ...types.filter((t) => !t.archived || w.events.includes(t.name)).map((t) => t.name),
    ...SYSTEM_TYPES,
  ];
  const submit = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    clearNotices(); // this save's outcome replaces the last one's
    try {
      const body = bodyFrom(form, w);
      if (id) {
        await api('PATCH', appPath(`/v1/webhooks/${id}`), body);
        notice('Saved.');
      } else {
        const created = await api('POST', appPath('/v1/webhooks'), body);
        // replaceState fires no hashchange: the app is asked for the edit screen, and the notice stays.
        history.replaceState(null, '', `#/webhooks/${created.id}`);
        window.dispatchEvent(new Event('hookline:route'));
        notice(`Created. Its signing secret (shown once here, also in the API): ${created.secret}`);
      }
      showFieldErrors([], CONTROLS);
    } catch (err) {
      const beside = err instanceof ApiFailure && showFieldErrors(err.details, CONTROLS);
      notice(beside ? `Not saved: ${err.message}` : err.message, true);
    }
  };
  // Who may only view sees the settings, read-only, and no control that changes them.
  const editable = can('change');
  const replyTypes = [['', 'none'], ...types.filter((t) => !t.archived).map((t) => [t.name, t.name])];
  const headerLines = Object.entries(w.headers ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return html`<h1>${id ? `Webhook ${w.name}` : 'New webhook'}</h1>
    <form id="webhook-form" onSubmit=${submit}>
      <fieldset class="plain" disabled=${!editable}>
        <${Field} label="Name" id="name">${text('name', w.name, { required: true })}<//>
        <${Field} label="URL" id="url">${text('url', w.url, { required: true, type: 'url' })}<//>
        <${Field} label="More callback URLs (one per line; each gets every delivery)" id="moreUrls">
          <textarea id="moreUrls" name="moreUrls" rows="2" value=${(w.urls ?? []).slice(1).join('\n')} />
        <//>
        <${Field} label="Description" id="description">${text('description', w.description)}<//>
        <span>Events</span>
        <fieldset id="events">
          ${eventNames.map(
            (name) =>
              html`<label key=${name}>
                <input type="checkbox" name="events" value=${name} checked=${w.events.includes(name)} />
                ${name}
              </label>`,
          )}
        </fieldset>
        <${FieldError} id="events" />
        <${Field} label="Event names in batches" id="eventNames">${choice('eventNames', w.eventNames)}<//>
        <${Field} label="Filter (JSON)" id="filter">
          <textarea
            id="filter"
            name="filter"
            rows="3"
            placeholder='[{"path":"payload.form.id","op":"eq","value":3}]  or  {"any":[[...],[...]]} (any one group)'
            value=${w.filter ? JSON.stringify(w.filter) : ''}
          />
        <//>
        <${Field} label="Custom headers" id="headers">
          <textarea
            id="headers"
            name="headers"
            rows="2"
            placeholder="Authorization: Bearer …  (one per line)"
            value=${headerLines}
          />
        <//>
        <${Field} label="Order" id="order">${choice('order', w.order)}<//>
        <${Field} label="Method" id="method">${choice('method', w.method)}<//>
        <${Field} label="Content type" id="contentType">${choice('contentType', w.contentType)}<//>
        <${Field} label="Signature" id="signature">${choice('signature', w.signature)}<//>
        <${Field} label="Enabled" id="enabled">
          <input type="checkbox" id="enabled" name="enabled" checked=${w.enabled} />
        <//>
        <${Field} label="Body template" id="bodyTemplate">
          <textarea id="bodyTemplate" name="bodyTemplate" rows="3" value=${w.bodyTemplate ?? ''} />
        <//>
        <${Field} label="Trigger words" id="triggerWords">
          ${text('triggerWords', (w.trigger?.words ?? []).join(' '), {
            placeholder: '#build #deploy (first word of the text)',
          })}
        <//>
        <${Field} label="Trigger match" id="triggerWhen">
          ${choice('triggerWhen', w.trigger?.when, trigger, 'when')}
        <//>
        <${Field} label='Token (sent as "token")' id="token">${text('token', w.token)}<//>
        <${Field} label="Reply event type" id="replyEventType">
          <${Select} id="replyEventType" options=${replyTypes} value=${w.replyEventType} />
        <//>
      </fieldset>
      ${
        editable &&
        html`<div class="actions">
          <button type="submit">${id ? 'Save' : 'Create'}</button>
          ${id && html`<button type="button" id="send-test" onClick=${() => void sendTest(id)}>Send test payload</button>`}
        </div>`
      }
    </form>`;
}
